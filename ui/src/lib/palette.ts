import type { SearchHit } from "./api";
import { SCREENS, type ScreenId } from "./nav";

export type PaletteItem =
  | { kind: "candidate"; key: string; hit: SearchHit }
  | { kind: "screen"; key: string; screen: ScreenId; label: string };

/** Screens whose name starts a word matching the text ("jo" → Jobs); all of them when empty. */
export function matchingScreens(text: string): PaletteItem[] {
  const t = text.trim().toLowerCase();
  return SCREENS.filter((s) => t === "" || s.label.toLowerCase().split(/\s+/).some((w) => w.startsWith(t))).map(
    (s) => ({ kind: "screen", key: `screen:${s.id}`, screen: s.id, label: `Go to ${s.label}` }),
  );
}

/** Candidates first (what the recruiter is usually after), then matching screens. */
export function paletteItems(text: string, hits: SearchHit[]): PaletteItem[] {
  const candidates: PaletteItem[] = hits.map((hit) => ({
    kind: "candidate",
    key: `cand:${hit.candidate.account_id}:${hit.candidate.remote_id}`,
    hit,
  }));
  return [...candidates, ...matchingScreens(text)];
}

/** Arrow movement in the palette wraps around, unlike long lists. */
export function paletteMove(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (current + delta + count) % count;
}
