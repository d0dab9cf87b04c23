import type { CandidateListQuery, CandidateSort } from "./api";

/** How far back "updated since" reaches. */
export type UpdatedWithin = "any" | "24h" | "7d" | "30d" | "90d";

export const UPDATED_WITHIN_LABELS: Record<UpdatedWithin, string> = {
  any: "Any time",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
};

const WITHIN_MS: Record<Exclude<UpdatedWithin, "any">, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
  "30d": 30 * 24 * 3_600_000,
  "90d": 90 * 24 * 3_600_000,
};

/** What the filter bar holds; empty strings mean "all". */
export interface CandidateFilters {
  accountId: string;
  /** Vendor job id; only meaningful with an account. */
  jobId: string;
  /** A stage category (`lead`, `active`, `offer`...). */
  stageCategory: string;
  updatedWithin: UpdatedWithin;
  sort: CandidateSort;
}

export const NO_FILTERS: CandidateFilters = {
  accountId: "",
  jobId: "",
  stageCategory: "",
  updatedWithin: "any",
  sort: "name_asc",
};

/** The list query for these filters; `now` anchors "updated since". */
export function toListQuery(f: CandidateFilters, now: Date, limit: number): CandidateListQuery {
  return {
    account_id: f.accountId || null,
    vendor: null,
    // A job id is only unique within its account.
    job_id: f.accountId && f.jobId ? f.jobId : null,
    stage_id: null,
    stage_category: f.stageCategory || null,
    pipeline_group: null,
    updated_since: f.updatedWithin === "any" ? null : new Date(now.getTime() - WITHIN_MS[f.updatedWithin]).toISOString(),
    sort: f.sort,
    cursor: null,
    limit,
  };
}

/** How many filters narrow the list (sort is not a filter). */
export function activeFilterCount(f: CandidateFilters): number {
  return [f.accountId, f.accountId && f.jobId, f.stageCategory, f.updatedWithin !== "any"].filter(Boolean).length;
}

/** The filters after the account changes: a job of another account no longer applies. */
export function withAccount(f: CandidateFilters, accountId: string): CandidateFilters {
  return { ...f, accountId, jobId: accountId === f.accountId ? f.jobId : "" };
}

/** A stable key: equal filters give equal keys, so the list reloads only on a real change. */
export function filtersKey(f: CandidateFilters): string {
  return JSON.stringify([f.accountId, f.jobId, f.stageCategory, f.updatedWithin, f.sort]);
}
