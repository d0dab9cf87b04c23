import { expect, it } from "vitest";
import type { JobWithCounts } from "./api";
import { filterJobs, groupKey, pipelineLabel, pipelineShares, sortJobs } from "./jobs";

const job = (name: string, extra: Partial<JobWithCounts> = {}): JobWithCounts => ({
  account_id: "a",
  remote_id: name,
  vendor: "lever",
  name,
  status: "open",
  updated_at: null,
  total: 0,
  stages: [],
  ...extra,
});

it("filters jobs by every word, ignoring case and accents, within an account", () => {
  const jobs = [job("Développeur Rust"), job("Rust Engineer", { account_id: "b" }), job("Designer")];
  expect(filterJobs(jobs, "developpeur rust", "").map((j) => j.name)).toEqual(["Développeur Rust"]);
  expect(filterJobs(jobs, "rust", "b").map((j) => j.name)).toEqual(["Rust Engineer"]);
  expect(filterJobs(jobs, "", "")).toHaveLength(3);
});

it("puts open jobs first, then recent ones", () => {
  const sorted = sortJobs([
    job("Closed", { status: "closed", updated_at: "2026-11-20T00:00:00Z" }),
    job("Old", { updated_at: "2026-01-01T00:00:00Z" }),
    job("New", { updated_at: "2026-11-01T00:00:00Z" }),
  ]);
  expect(sorted.map((j) => j.name)).toEqual(["New", "Old", "Closed"]);
});

it("shares the pipeline by stage, keeping small stages visible", () => {
  const shares = pipelineShares([
    { group: { kind: "stage", value: "a" }, stage_name: "New", stage_category: "active", count: 199 },
    { group: { kind: "stage", value: "b" }, stage_name: "Offer", stage_category: "offer", count: 1 },
    { group: { kind: "closed", value: "hired" }, stage_name: null, stage_category: "hired", count: 0 },
  ]);
  expect(shares.map((s) => s.pct)).toEqual([100, 2, 0]);
  expect(pipelineShares([]).length).toBe(0);
});

it("names pipeline groups: the stage, the closed category, or no stage", () => {
  const count = { stage_name: null, stage_category: null, count: 1 };
  expect(pipelineLabel({ ...count, group: { kind: "stage", value: "s1" }, stage_name: "Phone screen" })).toBe("Phone screen");
  expect(pipelineLabel({ ...count, group: { kind: "stage", value: "s1" } })).toBe("s1");
  expect(pipelineLabel({ ...count, group: { kind: "closed", value: "rejected" }, stage_category: "rejected" })).toBe("Rejected");
  expect(pipelineLabel({ ...count, group: { kind: "no_stage" } })).toBe("No stage");
  expect(groupKey({ kind: "stage", value: "rejected" })).not.toBe(groupKey({ kind: "closed", value: "rejected" }));
});
