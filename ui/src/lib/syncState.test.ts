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

  it("says a later sync with nothing new is up to date, and counts only what changed", () => {
    const report = (resources: [string, boolean, number, number?, number?][]) => ({
      type: "finished" as const,
      at: 1,
      report: {
        account_id: "a",
        resources: resources.map(([resource, full, records, stage_changes = 0, deleted = 0]) => ({
          resource: resource as "jobs",
          run_id: "r",
          full,
          resumed: false,
          records,
          deleted,
          requests: 1,
          stage_changes,
        })),
      },
    });
    // Roles and groups have no update filter: re-read whole each time, they are not news.
    let s = syncReducer({}, report([["candidates", false, 0], ["roles", true, 5], ["groups", true, 6]]));
    expect(syncText(s.a)).toBe("Up to date");
    s = syncReducer({}, report([["candidates", false, 1, 1], ["roles", true, 5]]));
    expect(syncText(s.a)).toBe("Synced 1 changed record, 1 stage change");
    s = syncReducer({}, report([["candidates", false, 1200], ["jobs", false, 3, 0, 2]]));
    expect(syncText(s.a)).toBe("Synced 1,203 changed records, 2 removed");
    s = syncReducer({}, report([["candidates", true, 1]]));
    expect(syncText(s.a)).toBe("Synced 1 record");
  });
});
