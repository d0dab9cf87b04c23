/** Contact details read from a cached candidate record (the core's `Candidate`, as JSON). */
export interface Contact {
  emails: { value: string; kind: string | null }[];
  phones: { value: string; kind: string | null }[];
  links: { url: string; kind: string | null; label: string }[];
  tags: string[];
  location: string | null;
  source: string | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

const LINK_LABELS: Record<string, string> = {
  linkedin: "LinkedIn",
  github: "GitHub",
  twitter: "Twitter",
  website: "Website",
  portfolio: "Portfolio",
};

/** A readable label for a link: its kind when known, else its host. */
export function linkLabel(url: string, kind: string | null): string {
  if (kind && LINK_LABELS[kind.toLowerCase()]) return LINK_LABELS[kind.toLowerCase()]!;
  try {
    return new URL(url).host.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** Only web links are opened; anything else (javascript:, file:) is shown as text. */
export function isWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

export function contactOf(record: unknown): Contact {
  const r = isObject(record) ? record : {};
  return {
    emails: list(r.emails).flatMap((e) => {
      const value = str(e.email);
      return value ? [{ value, kind: str(e.type) }] : [];
    }),
    phones: list(r.phones).flatMap((p) => {
      const number = str(p.number);
      if (!number) return [];
      const ext = str(p.extension);
      return [{ value: ext ? `${number} ext. ${ext}` : number, kind: str(p.type) }];
    }),
    links: list(r.urls).flatMap((l) => {
      const url = str(l.url);
      if (!url) return [];
      const kind = str(l.type);
      return [{ url, kind, label: linkLabel(url, kind) }];
    }),
    tags: list(r.tags).flatMap((t) => (str(t.name) ? [t.name as string] : [])),
    location: str(r.location),
    source: str(r.source),
  };
}

/** Bytes as "12 KB" / "1.4 MB". */
export function fileSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Initials for an avatar: first letters of the first and last words, Unicode-aware. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ? Array.from(words[0])[0] ?? "" : "";
  const last = words.length > 1 ? Array.from(words[words.length - 1]!)[0] ?? "" : "";
  return (first + last).toUpperCase() || "?";
}
