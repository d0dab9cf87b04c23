import type { JobWithCounts, PipelineGroup, StageCount } from "./api";
import { stageLabel } from "./stages";

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

/** A stable key for a pipeline group, for lists and for telling the picked one. */
export function groupKey(group: PipelineGroup): string {
  return group.kind === "no_stage" ? "no_stage" : `${group.kind}:${group.value}`;
}

/** What a pipeline group is called: the stage, the closed category ("Rejected"), or "No stage". */
export function pipelineLabel(stage: StageCount): string {
  if (stage.group.kind === "no_stage") return "No stage";
  if (stage.group.kind === "closed") return stageLabel(null, stage.stage_category);
  return stage.stage_name ?? stage.group.value;
}
