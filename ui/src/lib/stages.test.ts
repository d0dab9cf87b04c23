import { expect, it } from "vitest";
import { stageHistoryLine, stageLabel, stageTone } from "./stages";

it("colours stages by category, closed ones alike", () => {
  expect(stageTone("lead")).toBe("lead");
  expect(stageTone("active")).toBe("active");
  expect(stageTone("offer")).toBe("offer");
  expect(stageTone("hired")).toBe("hired");
  expect(stageTone("rejected")).toBe("closed");
  expect(stageTone("withdrawn")).toBe("closed");
  expect(stageTone("archived")).toBe("closed");
  expect(stageTone(null)).toBe("neutral");
  expect(stageTone("other")).toBe("neutral");
});

it("labels a stage by its vendor name, else its category", () => {
  expect(stageLabel("Phone screen", "active")).toBe("Phone screen");
  expect(stageLabel(null, "offer")).toBe("Offer");
  expect(stageLabel("  ", null)).toBe("No stage");
});

it("says a closed application is closed before naming the stage it stopped at", () => {
  expect(stageLabel("Phone interview", "rejected")).toBe("Rejected · Phone interview");
  expect(stageLabel("Rejected", "rejected")).toBe("Rejected");
  expect(stageLabel("Archived: not a fit", "archived")).toBe("Archived: not a fit");
  expect(stageLabel("Offer", "withdrawn")).toBe("Withdrawn · Offer");
});

it("tells a first sighting from a move in the stage history", () => {
  expect(stageHistoryLine({ from_stage_name: null, to_stage_name: "Interview" })).toBe("First seen in Interview");
  expect(stageHistoryLine({ from_stage_name: "Screen", to_stage_name: "Interview" })).toBe("Screen → Interview");
  expect(stageHistoryLine({ from_stage_name: "Screen", to_stage_name: null })).toBe("Screen → an unnamed stage");
});
