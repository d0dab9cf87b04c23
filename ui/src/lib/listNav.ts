/** Keyboard movement through a list: arrows and j/k, Page Up/Down, Home/End. */
export interface NavKey {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/**
 * The row to select after `event`, or null when the key does not move the selection.
 * `current` is -1 when nothing is selected yet; `count` is the number of rows known so far.
 */
export function nextIndex(event: NavKey, current: number, count: number, pageSize: number): number | null {
  if (count <= 0 || event.ctrlKey || event.metaKey || event.altKey) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (event.key) {
    case "ArrowDown":
    case "j":
      return current < 0 ? 0 : clamp(current + 1);
    case "ArrowUp":
    case "k":
      return current < 0 ? 0 : clamp(current - 1);
    case "PageDown":
      return clamp(Math.max(current, 0) + pageSize);
    case "PageUp":
      return clamp(Math.max(current, 0) - pageSize);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/** Whether a key event comes from a place where letters are text, not shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select") return true;
  if (tag === "input") {
    const type = (el as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type);
  }
  return el.isContentEditable === true;
}
