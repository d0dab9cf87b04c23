import type { Account, DemoAccount, Vendor } from "./bindings";
import { vendorName } from "./vendors";

/** One row of the linked accounts list. */
export interface AccountRow {
  id: string;
  vendor: Vendor;
  label: string;
  /** "OAuth sign-in" or "API key". */
  method: string;
  /** The API host when it is not the vendor's production one (demo, sandbox). */
  host: string | null;
  status: "active" | "needs_relink";
  statusText: string;
  /** Only OAuth accounts can be re-linked in place; API-key accounts are linked again. */
  canRelink: boolean;
}

const PRODUCTION_HOSTS: Record<Vendor, string> = {
  smartrecruiters: "api.smartrecruiters.com",
  lever: "api.lever.co",
  unberry: "api.unberry.com",
};

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export function accountRow(account: Account): AccountRow {
  const host = hostOf(account.base_url);
  return {
    id: account.id,
    vendor: account.vendor,
    label: account.label,
    method: account.auth_kind === "oauth" ? "OAuth sign-in" : "API key",
    host: host && host !== PRODUCTION_HOSTS[account.vendor] ? host : null,
    status: account.status,
    statusText: account.status === "active" ? "Active" : "Needs re-link",
    canRelink: account.status === "needs_relink" && account.auth_kind === "oauth",
  };
}

/** What the unlink confirmation says, naming the consequence. */
export function unlinkConsequence(account: Pick<Account, "label" | "vendor">): string {
  return (
    `Unlinking “${account.label}” removes the key from your keychain and deletes the cached ` +
    `candidates of this account. ${vendorName(account.vendor)} itself is not changed.`
  );
}

/** A demo card: whether it is already linked (same label), and how it links. */
export interface DemoCard {
  vendor: Vendor;
  label: string;
  methodText: string;
  linked: boolean;
}

export function demoCards(demo: DemoAccount[], linked: Account[]): DemoCard[] {
  return demo.map((d) => ({
    vendor: d.vendor,
    label: d.label,
    methodText: d.method === "oauth" ? "OAuth sign-in on the demo consent page" : "API key: demo key",
    linked: linked.some((a) => a.label === d.label),
  }));
}

/** A label not already taken: "Lever", then "Lever 2", "Lever 3"... */
export function suggestLabel(vendor: Vendor, taken: string[]): string {
  const base = vendorName(vendor);
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} ${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** "a Lever", "an Unberry": the article a vendor name takes. */
export function withArticle(name: string): string {
  return /^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`;
}
