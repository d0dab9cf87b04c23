import { describe, expect, it } from "vitest";
import { isTypingTarget, nextIndex } from "./listNav";

describe("nextIndex", () => {
  it("moves with arrows and j/k, clamped to the list", () => {
    expect(nextIndex({ key: "ArrowDown" }, 3, 10, 5)).toBe(4);
    expect(nextIndex({ key: "j" }, 9, 10, 5)).toBe(9);
    expect(nextIndex({ key: "k" }, 0, 10, 5)).toBe(0);
    expect(nextIndex({ key: "ArrowUp" }, 4, 10, 5)).toBe(3);
  });
  it("selects the first row when nothing is selected", () => {
    expect(nextIndex({ key: "ArrowDown" }, -1, 10, 5)).toBe(0);
    expect(nextIndex({ key: "k" }, -1, 10, 5)).toBe(0);
  });
  it("pages and jumps", () => {
    expect(nextIndex({ key: "PageDown" }, 2, 100, 10)).toBe(12);
    expect(nextIndex({ key: "PageUp" }, 5, 100, 10)).toBe(0);
    expect(nextIndex({ key: "Home" }, 50, 100, 10)).toBe(0);
    expect(nextIndex({ key: "End" }, 50, 100, 10)).toBe(99);
  });
  it("ignores other keys, modified keys and empty lists", () => {
    expect(nextIndex({ key: "x" }, 1, 10, 5)).toBeNull();
    expect(nextIndex({ key: "j", ctrlKey: true }, 1, 10, 5)).toBeNull();
    expect(nextIndex({ key: "j" }, -1, 0, 5)).toBeNull();
  });
});

describe("isTypingTarget", () => {
  it("treats text inputs and textareas as typing, buttons and checkboxes not", () => {
    const text = document.createElement("input");
    const box = document.createElement("input");
    box.type = "checkbox";
    expect(isTypingTarget(text)).toBe(true);
    expect(isTypingTarget(document.createElement("textarea"))).toBe(true);
    expect(isTypingTarget(box)).toBe(false);
    expect(isTypingTarget(document.createElement("button"))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
