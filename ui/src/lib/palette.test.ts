import { expect, it } from "vitest";
import type { SearchHit } from "./api";
import { matchingScreens, paletteItems, paletteMove } from "./palette";

const hit = (name: string, id: string): SearchHit => ({
  candidate: {
    account_id: "a",
    remote_id: id,
    vendor: "lever",
    name,
    first_name: name,
    last_name: "",
    email: null,
    company: null,
    title: null,
    updated_at: null,
  },
  matched_by: "name_prefix",
  score: null,
});

it("matches screens by word prefix, all on empty text", () => {
  expect(matchingScreens("jo").map((i) => i.key)).toEqual(["screen:jobs"]);
  expect(matchingScreens("")).toHaveLength(5);
  expect(matchingScreens("zzz")).toHaveLength(0);
});

it("lists candidate hits before screens, with unique keys", () => {
  const items = paletteItems("ac", [hit("Ada", "1"), hit("Acton", "2")]);
  expect(items.map((i) => i.kind)).toEqual(["candidate", "candidate", "screen", "screen"]);
  expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
});

it("wraps arrow movement", () => {
  expect(paletteMove(-1, 1, 3)).toBe(0);
  expect(paletteMove(-1, -1, 3)).toBe(2);
  expect(paletteMove(2, 1, 3)).toBe(0);
  expect(paletteMove(0, -1, 3)).toBe(2);
  expect(paletteMove(0, 1, 0)).toBe(-1);
});
