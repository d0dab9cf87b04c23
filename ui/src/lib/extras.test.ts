import { expect, it } from "vitest";
import { extrasOf } from "./extras";

it("reads the core's assessments and interviews", () => {
  const x = extrasOf({
    assessments: [{ id: "asm_1", name: "Cognitive", status: "completed", score: 82.46, max_score: 100, percentile: 91, signals: [{ name: "Focus", score: 7 }] }],
    interviews: [{ id: "int_1", title: "Video interview", status: "scheduled", start_at: "2026-11-24T10:00:00Z", interviewers: [{ id: "u1", name: "Priya N" }] }],
  });
  expect(x.assessments).toEqual([
    { key: "asm_1", name: "Cognitive", status: "completed", score: 82.5, max: 100, percentile: 91, signals: [{ name: "Focus", score: 7 }] },
  ]);
  expect(x.interviews[0]).toMatchObject({ title: "Video interview", start: "2026-11-24T10:00:00Z", interviewers: ["Priya N"] });
});

it("falls back to Unberry's wire names and to later sources", () => {
  const x = extrasOf(null, { assessments: [{ assessment_name: "Game-based", overall_score: 64 }] });
  expect(x.assessments[0]).toMatchObject({ name: "Game-based", score: 64, max: null });
  expect(x.interviews).toEqual([]);
});

it("is empty for vendors without extras", () => {
  expect(extrasOf({ emails: [] }, undefined)).toEqual({ assessments: [], interviews: [] });
});
