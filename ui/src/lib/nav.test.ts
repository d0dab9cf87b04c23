import { describe, expect, it } from "vitest";
import { SCREENS, screenForShortcut, type KeyLike } from "./nav";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe("screen shortcuts", () => {
  it("maps Ctrl or Cmd plus a digit to each screen in sidebar order", () => {
    SCREENS.forEach((screen, i) => {
      expect(screenForShortcut(key(String(i + 1), { ctrlKey: true }))).toBe(screen.id);
      expect(screenForShortcut(key(String(i + 1), { metaKey: true }))).toBe(screen.id);
    });
  });

  it("ignores plain digits, other modifiers and unknown digits", () => {
    expect(screenForShortcut(key("1"))).toBeNull();
    expect(screenForShortcut(key("1", { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(screenForShortcut(key("1", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(screenForShortcut(key("9", { ctrlKey: true }))).toBeNull();
  });
});
