const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// One formatter per format, made on first use: `toLocaleDateString(undefined, options)` builds a
// new ICU formatter on every call, which costs the list ~1 ms per row it renders.
const formatters = new Map<string, Intl.DateTimeFormat>();

function format(key: string, options: Intl.DateTimeFormatOptions, d: Date): string {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, f);
  }
  return f.format(d);
}

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * "just now", "5 min ago", "2 h ago", "yesterday", "3 d ago" when recent; a short date
 * ("12 Mar" this year, "12 Mar 2024" otherwise) beyond a week. Future times read "in 5 min".
 */
export function relativeTime(
  value: string | number | Date | null | undefined,
  nowAt: Date | number = Date.now(),
): string {
  const now = nowAt instanceof Date ? nowAt : new Date(nowAt);
  if (value === null || value === undefined) return "never";
  const d = toDate(value);
  if (!d) return "unknown";
  const diff = now.getTime() - d.getTime();
  const abs = Math.abs(diff);
  const future = diff < 0;
  const say = (n: number, unit: string) => (future ? `in ${n} ${unit}` : `${n} ${unit} ago`);
  if (abs < 45_000) return "just now";
  if (abs < HOUR) return say(Math.max(1, Math.round(abs / MINUTE)), "min");
  if (abs < DAY) return say(Math.round(abs / HOUR), "h");
  if (!future && abs < 2 * DAY) return "yesterday";
  if (abs < 7 * DAY) return say(Math.round(abs / DAY), "d");
  const sameYear = d.getFullYear() === now.getFullYear();
  return sameYear
    ? format("day-month", { day: "numeric", month: "short" }, d)
    : format("day-month-year", { day: "numeric", month: "short", year: "numeric" }, d);
}

/** The full local date and time, for the hover title of a relative time. */
export function absoluteTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  const d = toDate(value);
  if (!d) return "";
  return format("date-time", { dateStyle: "medium", timeStyle: "short" }, d);
}
