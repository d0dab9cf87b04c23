/** The app's screens, in sidebar order. */
export type ScreenId = "accounts" | "candidates" | "jobs" | "push" | "activity";

export interface ScreenDef {
  id: ScreenId;
  label: string;
  /** Digit that, with Ctrl (Cmd on macOS), opens the screen. */
  digit: string;
}

export const SCREENS: readonly ScreenDef[] = [
  { id: "accounts", label: "Accounts", digit: "1" },
  { id: "candidates", label: "Candidates", digit: "2" },
  { id: "jobs", label: "Jobs", digit: "3" },
  { id: "push", label: "Push", digit: "4" },
  { id: "activity", label: "Activity", digit: "5" },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Ctrl/Cmd + 1..5 switches screens; anything else is not ours. */
export function screenForShortcut(event: KeyLike): ScreenId | null {
  const modifier = event.ctrlKey || event.metaKey;
  if (!modifier || event.altKey || event.shiftKey) return null;
  return SCREENS.find((s) => s.digit === event.key)?.id ?? null;
}

export function screenLabel(id: ScreenId): string {
  return SCREENS.find((s) => s.id === id)?.label ?? id;
}
