import { describe, expect, it } from "vitest";
import { overallProgress, syncReducer, syncText, syncingAccounts, type SyncMap } from "./syncState";

const progress = (resource: "jobs" | "candidates", done: number, total: number | null) => ({
  type: "progress" as const,
  progress: { account_id: "a", resource, done, total, rate_per_s: 10 },
});

describe("syncReducer", () => {
  it("tracks progress per resource and sums it", () => {
    let s: SyncMap = {};
    s = syncReducer(s, { type: "started", accountId: "a", requestedAt: 0 });
    expect(syncText(s.a)).toBe("Starting sync…");
    s = syncReducer(s, progress("jobs", 10, 10));
    s = syncReducer(s, progress("candidates", 500, 2000));
    expect(overallProgress(s.a!)).toEqual({ done: 510, total: 2010 });
    expect(syncText(s.a)).toBe("Syncing candidates · 500 of 2,000");
    expect(syncingAccounts(s)).toEqual(["a"]);
  });

  it("keeps progress that arrived before the start was acknowledged", () => {
    let s: SyncMap = syncReducer({}, progress("jobs", 5, 10));
    s = syncReducer(s, { type: "started", accountId: "a", requestedAt: 0 });
    expect(overallProgress(s.a!)).toEqual({ done: 5, total: 10 });
  });

  it("keeps an outcome that arrived before the start was acknowledged, not an older one", () => {
    const report = { account_id: "a", resources: [] };
    // The run finished (at 105) before the command asked at 100 returned.
    let s: SyncMap = syncReducer({}, { type: "finished", report, at: 105 });
    s = syncReducer(s, { type: "started", accountId: "a", requestedAt: 100 });
    expect(s.a?.phase).toBe("finished");
    s = syncReducer({}, { type: "failed", accountId: "a", error: { kind: "network", message: "x" } as never, at: 105 });
    s = syncReducer(s, { type: "started", accountId: "a", requestedAt: 100 });
    expect(s.a?.phase).toBe("failed");
    // An outcome from before the request is the previous run's: the new one is syncing.
    s = syncReducer({}, { type: "finished", report, at: 50 });
    s = syncReducer(s, { type: "started", accountId: "a", requestedAt: 100 });
    expect(s.a?.phase).toBe("syncing");
  });

  it("has no total while any resource's total is unknown", () => {
    let s: SyncMap = {};
    s = syncReducer(s, progress("jobs", 10, 10));
    s = syncReducer(s, progress("candidates", 500, null));
    expect(overallProgress(s.a!)).toEqual({ done: 510, total: null });
  });

  it("ends in finished or failed, with what happened", () => {
    let s: SyncMap = syncReducer({}, progress("jobs", 1, 2));
    s = syncReducer(s, {
      type: "finished",
      at: 1,
      report: {
        account_id: "a",
        resources: [
          { resource: "jobs", run_id: "r", full: true, resumed: false, records: 3, deleted: 0, requests: 1, stage_changes: 0 },
          { resource: "applications", run_id: "r", full: true, resumed: false, records: 7, deleted: 0, requests: 1, stage_changes: 2 },
        ],
      },
    });
    expect(syncText(s.a)).toBe("Synced 10 records, 2 stage changes");
    expect(overallProgress(s.a!)).toBeNull();
    expect(syncingAccounts(s)).toEqual([]);
    s = syncReducer(s, { type: "failed", accountId: "a", at: 2, error: { kind: "offline", message: "No network.", status: null, vendor_code: null } });
    expect(syncText(s.a)).toBe("Sync failed: No network.");
  });
});
