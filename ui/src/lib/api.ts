// The data types of the app's query commands, as the core defines them (crates/core/src/cache).
// Re-exported from the generated bindings once the shell's data commands land.
import type { Vendor } from "./bindings";

export type CandidateSort = "name_asc" | "updated_desc";

export interface CandidateListQuery {
  account_id: string | null;
  vendor: Vendor | null;
  job_id: string | null;
  stage_id: string | null;
  stage_category: string | null;
  updated_since: string | null;
  sort: CandidateSort;
  cursor: string | null;
  limit: number | null;
}

export interface CandidateSummary {
  account_id: string;
  remote_id: string;
  vendor: Vendor;
  name: string;
  first_name: string;
  last_name: string;
  email: string | null;
  company: string | null;
  title: string | null;
  updated_at: string | null;
}

export interface CandidatePage {
  items: CandidateSummary[];
  next_cursor: string | null;
}

export type MatchKind = "name_prefix" | "full_text";

export interface SearchQuery {
  text: string;
  account_id: string | null;
  limit: number | null;
}

export interface SearchHit {
  candidate: CandidateSummary;
  matched_by: MatchKind;
  score: number | null;
}
