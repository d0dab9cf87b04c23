import type { JobWithCounts, StageCount } from "./api";

/** Jobs whose name contains every word typed (case- and accent-insensitive), in the chosen account. */
export function filterJobs(jobs: JobWithCounts[], text: string, accountId: string): JobWithCounts[] {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = fold(text).split(/\s+/).filter(Boolean);
  return jobs.filter(
    (j) => (!accountId || j.account_id === accountId) && words.every((w) => fold(j.name).includes(w)),
  );
}

/** Open jobs first, then by most recently updated, then by name. */
export function sortJobs(jobs: JobWithCounts[]): JobWithCounts[] {
  const open = (j: JobWithCounts) => (/^(open|published|active|sourcing|public)$/i.test(j.status ?? "") ? 0 : 1);
  return [...jobs].sort(
    (a, b) =>
      open(a) - open(b) ||
      (b.updated_at ?? "").localeCompare(a.updated_at ?? "") ||
      a.name.localeCompare(b.name),
  );
}

/** Each stage's share of the pipeline, in percent (rounded; at least 2 for a non-empty stage so it stays visible). */
export function pipelineShares(stages: StageCount[]): { stage: StageCount; pct: number }[] {
  const total = stages.reduce((n, s) => n + s.count, 0);
  return stages.map((stage) => ({
    stage,
    pct: total === 0 ? 0 : stage.count === 0 ? 0 : Math.max(2, Math.round((stage.count / total) * 100)),
  }));
}
