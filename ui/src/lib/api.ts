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

export type SyncResource = "jobs" | "candidates" | "applications" | "users";

export interface SyncProgress {
  account_id: string;
  resource: SyncResource;
  done: number;
  total: number | null;
  rate_per_s: number;
}

export interface ResourceReport {
  resource: SyncResource;
  run_id: string;
  full: boolean;
  resumed: boolean;
  records: number;
  deleted: number;
  requests: number;
  stage_changes: number;
}

export interface SyncReport {
  account_id: string;
  resources: ResourceReport[];
}

export interface StageHistoryEntry {
  from_stage_id: string | null;
  from_stage_name: string | null;
  to_stage_id: string | null;
  to_stage_name: string | null;
  changed_at: string | null;
}

export interface ApplicationDetail {
  remote_id: string;
  job_remote_id: string | null;
  job_name: string | null;
  stage_id: string | null;
  stage_name: string | null;
  stage_category: string | null;
  applied_at: string | null;
  rejected_at: string | null;
  history: StageHistoryEntry[];
}

export interface AttachmentSummary {
  remote_id: string;
  file_name: string;
  file_url: string | null;
  attachment_type: string | null;
  application_remote_id: string | null;
}

export interface CandidateDetail {
  candidate: CandidateSummary;
  record: unknown;
  remote_data: unknown;
  complete: boolean;
  followed: boolean;
  applications: ApplicationDetail[];
  attachments: AttachmentSummary[];
}

export interface StageCount {
  stage_id: string | null;
  stage_name: string | null;
  count: number;
}

export interface JobWithCounts {
  account_id: string;
  remote_id: string;
  vendor: Vendor;
  name: string;
  status: string | null;
  updated_at: string | null;
  total: number;
  stages: StageCount[];
}

export interface ActivityItem {
  id: number;
  account_id: string;
  candidate_remote_id: string | null;
  candidate_name: string | null;
  application_remote_id: string;
  job_remote_id: string | null;
  job_name: string | null;
  from_stage_name: string | null;
  to_stage_name: string | null;
  detected_at: string | null;
  read: boolean;
}

export interface ActivityQuery {
  unread_only: boolean;
  before_id: number | null;
  limit: number | null;
}

export interface JobStage {
  id: string;
  name: string;
  job_id: string | null;
  category: string;
  index: number | null;
}

export interface MoveStage {
  application_id: string;
  stage_id: string;
  perform_as: string | null;
  remote_data: unknown;
}

export interface Reject {
  application_id: string;
  reason_id: string | null;
  perform_as: string | null;
  remote_data: unknown;
}
