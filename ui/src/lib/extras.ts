/** Unberry's extras on a candidate: assessment scores and interviews (the core's `Assessment`, `Interview`). */
export interface AssessmentView {
  key: string;
  name: string;
  status: string | null;
  score: number | null;
  max: number | null;
  percentile: number | null;
  signals: { name: string; score: number | null }[];
}

export interface InterviewView {
  key: string;
  title: string;
  status: string | null;
  start: string | null;
  interviewers: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? Math.round(v * 10) / 10 : null);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

function assessment(a: Json, i: number): AssessmentView {
  return {
    key: str(a.id) ?? `a${i}`,
    name: str(a.name) ?? str(a.assessment_name) ?? "Assessment",
    status: str(a.status),
    score: num(a.score) ?? num(a.overall_score),
    max: num(a.max_score),
    percentile: num(a.percentile),
    signals: objects(a.signals).map((s) => ({ name: str(s.name) ?? "", score: num(s.score) })),
  };
}

function interview(v: Json, i: number): InterviewView {
  return {
    key: str(v.id) ?? `i${i}`,
    title: str(v.title) ?? "Interview",
    status: str(v.status),
    start: str(v.start_at) ?? str(v.scheduled_start),
    interviewers: objects(v.interviewers).flatMap((p) => (str(p.name) ? [p.name as string] : [])),
  };
}

/** The assessments and interviews found in the first source that has them. */
export function extrasOf(...sources: unknown[]): { assessments: AssessmentView[]; interviews: InterviewView[] } {
  let assessments: AssessmentView[] = [];
  let interviews: InterviewView[] = [];
  for (const s of sources) {
    if (!isObject(s)) continue;
    if (assessments.length === 0) assessments = objects(s.assessments).map(assessment);
    if (interviews.length === 0) interviews = objects(s.interviews).map(interview);
  }
  return { assessments, interviews };
}
