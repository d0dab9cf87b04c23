import type { Error as CoreError } from "./bindings";
import type { ResourceReport, SyncProgress, SyncReport, SyncResource } from "./api";

export interface ResourceProgress {
  done: number;
  total: number | null;
}

/** What the UI knows of one account's sync, from the sync events. */
export type AccountSync =
  | { phase: "idle" }
  | { phase: "syncing"; resources: Partial<Record<SyncResource, ResourceProgress>>; current: SyncResource | null }
  | { phase: "finished"; report: SyncReport; at: number }
  | { phase: "failed"; error: CoreError; at: number };

export type SyncMap = Record<string, AccountSync>;

export type SyncAction =
  /** `requestedAt`: when the UI asked for the sync (before the command returned). */
  | { type: "started"; accountId: string; requestedAt: number }
  | { type: "progress"; progress: SyncProgress }
  | { type: "finished"; report: SyncReport; at: number }
  | { type: "failed"; accountId: string; error: CoreError; at: number };

export function syncReducer(state: SyncMap, action: SyncAction): SyncMap {
  switch (action.type) {
    case "started": {
      const prev = state[action.accountId];
      // Progress may arrive before the command that started the sync returns: keep it.
      if (prev?.phase === "syncing") return state;
      // So may the outcome, for a quick run: it stays, or the account would show as syncing
      // with no event left to come.
      if ((prev?.phase === "finished" || prev?.phase === "failed") && prev.at >= action.requestedAt) return state;
      return { ...state, [action.accountId]: { phase: "syncing", resources: {}, current: null } };
    }
    case "progress": {
      const p = action.progress;
      const prev = state[p.account_id];
      const resources = prev?.phase === "syncing" ? prev.resources : {};
      return {
        ...state,
        [p.account_id]: {
          phase: "syncing",
          resources: { ...resources, [p.resource]: { done: p.done, total: p.total } },
          current: p.resource,
        },
      };
    }
    case "finished":
      return { ...state, [action.report.account_id]: { phase: "finished", report: action.report, at: action.at } };
    case "failed":
      return { ...state, [action.accountId]: { phase: "failed", error: action.error, at: action.at } };
  }
}

/** Overall progress of a syncing account: records done, and the total when every resource seen knows it. */
export function overallProgress(sync: AccountSync): { done: number; total: number | null } | null {
  if (sync.phase !== "syncing") return null;
  const parts = Object.values(sync.resources);
  const done = parts.reduce((n, r) => n + r.done, 0);
  const known = parts.length > 0 && parts.every((r) => r.total !== null);
  return { done, total: known ? parts.reduce((n, r) => n + (r.total ?? 0), 0) : null };
}

const RESOURCE_LABELS: Record<SyncResource, string> = {
  jobs: "jobs",
  candidates: "candidates",
  applications: "applications",
  users: "users",
  roles: "roles",
  groups: "groups",
  assessments: "assessments",
  interviews: "interviews",
};

/** One line for the status bar or an account row. */
export function syncText(sync: AccountSync | undefined): string {
  if (!sync || sync.phase === "idle") return "Idle";
  if (sync.phase === "syncing") {
    if (!sync.current) return "Starting sync…";
    const r = sync.resources[sync.current];
    const count = r ? (r.total !== null ? `${r.done.toLocaleString()} of ${r.total.toLocaleString()}` : `${r.done.toLocaleString()} so far`) : "";
    return `Syncing ${RESOURCE_LABELS[sync.current]}${count ? ` · ${count}` : ""}`;
  }
  if (sync.phase === "failed") return `Sync failed: ${sync.error.message}`;
  return finishedText(sync.report.resources);
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * A finished sync in a recruiter's words. A first sync reads everything: "Synced 5,000 records".
 * A later one reads only what changed, but re-reads the small lists that have no update filter
 * (roles, groups): those are not news, so it says "Up to date" or counts the changed records.
 */
function finishedText(resources: ResourceReport[]): string {
  const sum = (of: ResourceReport[], pick: (r: ResourceReport) => number) => of.reduce((n, r) => n + pick(r), 0);
  const incremental = resources.filter((r) => !r.full);
  const changes = sum(resources, (r) => r.stage_changes);
  const removed = sum(resources, (r) => r.deleted);
  const extras = [
    changes ? plural(changes, "stage change", "stage changes") : "",
    removed ? `${removed.toLocaleString()} removed` : "",
  ].filter(Boolean);
  const tail = extras.length ? `, ${extras.join(", ")}` : "";
  if (incremental.length === 0) return `Synced ${plural(sum(resources, (r) => r.records), "record", "records")}${tail}`;
  const changed = sum(incremental, (r) => r.records);
  if (changed === 0) return `Up to date${tail}`;
  return `Synced ${plural(changed, "changed record", "changed records")}${tail}`;
}

export function syncingAccounts(state: SyncMap): string[] {
  return Object.entries(state)
    .filter(([, s]) => s.phase === "syncing")
    .map(([id]) => id);
}
