import { expect, it } from "vitest";
import { StageLookup, type CandidateKey, type CandidateStageInfo } from "./stageLookup";

const info = (candidate: string, stage: string): CandidateStageInfo => ({
  account_id: "a",
  candidate_id: candidate,
  stage_name: stage,
  stage_category: "active",
  rejected: false,
  applications: 1,
});
const k = (candidate: string): CandidateKey => ({ account_id: "a", candidate_id: candidate });
const tick = () => new Promise((r) => setTimeout(r, 0));

it("batches the rows on screen into one request and remembers who has no application", async () => {
  const calls: CandidateKey[][] = [];
  let changes = 0;
  const lookup = new StageLookup(
    async (keys) => {
      calls.push(keys);
      return keys.filter((x) => x.candidate_id !== "c2").map((x) => info(x.candidate_id, "Screen"));
    },
    () => changes++,
  );
  lookup.want([k("c1"), k("c2")]);
  lookup.want([k("c3"), k("c1")]);
  expect(lookup.get("a", "c1")).toBeUndefined();
  await tick();
  expect(calls).toEqual([[k("c1"), k("c2"), k("c3")]]);
  expect(lookup.get("a", "c1")?.stage_name).toBe("Screen");
  expect(lookup.get("a", "c2")).toBeNull();
  expect(changes).toBe(1);
  lookup.want([k("c1"), k("c3")]);
  await tick();
  expect(calls).toHaveLength(1);
});

it("drops answers that arrive after a clear, and asks again after", async () => {
  let release!: (v: CandidateStageInfo[]) => void;
  const calls: number[] = [];
  const lookup = new StageLookup(
    (keys) => {
      calls.push(keys.length);
      return new Promise((r) => (release = r));
    },
    () => {},
  );
  lookup.want([k("c1")]);
  await tick();
  lookup.clear();
  release([info("c1", "Old")]);
  await tick();
  expect(lookup.get("a", "c1")).toBeUndefined();
  lookup.want([k("c1")]);
  await tick();
  expect(calls).toEqual([1, 1]);
});

it("asks again for rows whose request failed", async () => {
  let fail = true;
  const lookup = new StageLookup(
    async (keys) => {
      if (fail) throw new Error("offline");
      return keys.map((x) => info(x.candidate_id, "Offer"));
    },
    () => {},
  );
  lookup.want([k("c1")]);
  await tick();
  expect(lookup.get("a", "c1")).toBeUndefined();
  fail = false;
  lookup.want([k("c1")]);
  await tick();
  expect(lookup.get("a", "c1")?.stage_name).toBe("Offer");
});
