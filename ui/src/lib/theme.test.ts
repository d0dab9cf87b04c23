import { expect, it } from "vitest";
import { applyTheme, readTheme } from "./theme";

it("pins a theme on the root element and remembers it; system clears both", () => {
  const root = document.createElement("html");
  const store = new Map<string, string>();
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  };
  expect(readTheme(storage)).toBe("system");
  applyTheme("dark", root, storage);
  expect(root.dataset.theme).toBe("dark");
  expect(readTheme(storage)).toBe("dark");
  applyTheme("system", root, storage);
  expect(root.dataset.theme).toBeUndefined();
  expect(readTheme(storage)).toBe("system");
  store.set("hirebridge.theme", "neon");
  expect(readTheme(storage)).toBe("system");
});
