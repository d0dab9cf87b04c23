/** Stage categories as the core names them (`StageCategory`, snake_case). */
export type StageCategory = "lead" | "active" | "offer" | "hired" | "rejected" | "withdrawn" | "archived" | "other";

/** The five chip colours of the design: lead / active / offer / hired / closed. */
export type StageTone = "lead" | "active" | "offer" | "hired" | "closed" | "neutral";

export function stageTone(category: string | null | undefined): StageTone {
  switch (category) {
    case "lead":
      return "lead";
    case "active":
      return "active";
    case "offer":
      return "offer";
    case "hired":
      return "hired";
    case "rejected":
    case "withdrawn":
    case "archived":
      return "closed";
    default:
      return "neutral";
  }
}

export const STAGE_CATEGORY_LABELS: Record<StageCategory, string> = {
  lead: "Lead",
  active: "In process",
  offer: "Offer",
  hired: "Hired",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  archived: "Archived",
  other: "Other",
};

/**
 * What a stage chip says: the vendor's stage name, else the category's label. A closed
 * application says so first ("Rejected · Phone interview"): the stage alone would read as live.
 */
export function stageLabel(name: string | null | undefined, category: string | null | undefined): string {
  const closed = stageTone(category) === "closed" && category && category in STAGE_CATEGORY_LABELS;
  if (name && name.trim()) {
    if (closed && !/reject|withdr|archiv|declin|disqualif/i.test(name)) {
      return `${STAGE_CATEGORY_LABELS[category as StageCategory]} · ${name}`;
    }
    return name;
  }
  if (category && category in STAGE_CATEGORY_LABELS) return STAGE_CATEGORY_LABELS[category as StageCategory];
  return "No stage";
}

/** One line of an application's stage history: a move, or where a sync first found it. */
export function stageHistoryLine(entry: { from_stage_name?: string | null; to_stage_name?: string | null }): string {
  const to = entry.to_stage_name ?? "an unnamed stage";
  // No "from": the first sync that saw the application (or its stage) recorded where it was,
  // not a move; "— → Interview, just now" read as if it had just moved.
  if (!entry.from_stage_name) return `First seen in ${to}`;
  return `${entry.from_stage_name} → ${to}`;
}
