import type { Account } from "./bindings";
import type { ScreenId } from "./nav";
import { LeaveGuard } from "./leaveGuard";
import { syncReducer, type SyncAction, type SyncMap } from "./syncState";

export interface CandidateRef {
  accountId: string;
  candidateId: string;
}

export interface JobRef {
  accountId: string;
  jobId: string;
}

/** App-wide state every screen may read: where we are, connectivity, syncs, accounts. */
export const app = $state({
  screen: "accounts" as ScreenId,
  /** The candidate open in the Candidates detail pane. */
  candidate: null as CandidateRef | null,
  /** The job open in the Jobs detail pane. */
  job: null as JobRef | null,
  /** The job the Push screen should preselect (set by "Push a candidate to this job"). */
  pushTarget: null as JobRef | null,
  online: true,
  offlineSince: null as string | null,
  sync: {} as SyncMap,
  unread: 0,
  accounts: [] as Account[],
  /** Bumped whenever cached data may have changed (a sync finished, a stage moved, an account went). */
  cacheVersion: 0,
  paletteOpen: false,
  shortcutsOpen: false,
  /** A navigation waits for "Leave unsent form?" to be answered. */
  leaving: false,
});

/** Guards navigation away from a screen with unsent input (the Push form). */
export const leaveGuard = new LeaveGuard((asking) => (app.leaving = asking));

export function dispatchSync(action: SyncAction) {
  app.sync = syncReducer(app.sync, action);
}

export function go(screen: ScreenId) {
  if (screen === app.screen) return;
  leaveGuard.request(() => (app.screen = screen));
}

export function openCandidate(ref: CandidateRef) {
  leaveGuard.request(() => {
    app.candidate = ref;
    app.screen = "candidates";
  });
}

export function accountLabel(accountId: string): string {
  return app.accounts.find((a) => a.id === accountId)?.label ?? "Unknown account";
}
