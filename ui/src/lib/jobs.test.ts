import { expect, it } from "vitest";
import type { JobWithCounts } from "./api";
import { filterJobs, pipelineShares, sortJobs } from "./jobs";

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
    { stage_id: "a", stage_name: "New", count: 199 },
    { stage_id: "b", stage_name: "Offer", count: 1 },
    { stage_id: "c", stage_name: "Hired", count: 0 },
  ]);
  expect(shares.map((s) => s.pct)).toEqual([100, 2, 0]);
  expect(pipelineShares([]).length).toBe(0);
});
