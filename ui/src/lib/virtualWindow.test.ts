import { describe, expect, it } from "vitest";
import { rowsPerPage, scrollToReveal, visibleWindow } from "./virtualWindow";

describe("visibleWindow", () => {
  const base = { rowHeight: 40, viewportHeight: 400, overscan: 5 };

  it("renders the visible rows plus overscan at the top", () => {
    expect(visibleWindow({ ...base, scrollTop: 0, count: 100_000 })).toEqual({
      start: 0,
      end: 15,
      offsetTop: 0,
      totalHeight: 4_000_000,
    });
  });

  it("renders a small slice in the middle of 100k rows", () => {
    const w = visibleWindow({ ...base, scrollTop: 2_000_020, count: 100_000 });
    // Row 50000 is partly scrolled off; rows 50000..50010 show, plus 5 each side.
    expect(w.start).toBe(49_995);
    expect(w.end).toBe(50_016);
    expect(w.offsetTop).toBe(49_995 * 40);
    expect(w.end - w.start).toBeLessThan(30);
  });

  it("clamps at the end and past it", () => {
    const w = visibleWindow({ ...base, scrollTop: 99_999_999, count: 100 });
    expect(w.end).toBe(100);
    expect(w.start).toBe(85);
  });

  it("handles an empty list and a list shorter than the viewport", () => {
    expect(visibleWindow({ ...base, scrollTop: 0, count: 0 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(visibleWindow({ ...base, scrollTop: 0, count: 3 })).toMatchObject({ start: 0, end: 3, totalHeight: 120 });
  });
});

describe("scrollToReveal", () => {
  it("keeps the scroll when the row is visible", () => {
    expect(scrollToReveal(5, 0, 400, 40)).toBe(0);
  });
  it("scrolls up to a row above", () => {
    expect(scrollToReveal(2, 400, 400, 40)).toBe(80);
  });
  it("scrolls down just enough for a row below", () => {
    expect(scrollToReveal(10, 0, 400, 40)).toBe(40);
  });
});

it("rowsPerPage counts whole rows, at least one", () => {
  expect(rowsPerPage(400, 40)).toBe(10);
  expect(rowsPerPage(30, 40)).toBe(1);
});
