/** The colour theme: follow the OS (default), or pin light or dark. */
export type ThemeChoice = "system" | "light" | "dark";

const KEY = "hirebridge.theme";

export function readTheme(storage: Pick<Storage, "getItem"> | null): ThemeChoice {
  const v = storage?.getItem(KEY);
  return v === "light" || v === "dark" ? v : "system";
}

/** Sets `data-theme` on the root element (none for "system") and remembers the choice. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement, storage: Pick<Storage, "setItem" | "removeItem"> | null) {
  if (choice === "system") {
    delete root.dataset.theme;
    storage?.removeItem(KEY);
  } else {
    root.dataset.theme = choice;
    storage?.setItem(KEY, choice);
  }
}
