import { describe, expect, it } from "vitest";
import type { Account } from "./bindings";
import { accountRow, demoCards, suggestLabel, unlinkConsequence, withArticle } from "./accounts";

function account(over: Partial<Account> = {}): Account {
  return {
    id: "a1",
    vendor: "lever",
    label: "Acme Lever",
    base_url: "https://api.lever.co/v1",
    auth_kind: "oauth",
    scopes: [],
    oauth_config: null,
    status: "active",
    created_at: "2026-11-22T10:00:00Z",
    updated_at: "2026-11-22T10:00:00Z",
    ...over,
  };
}

describe("accountRow", () => {
  it("shows an active production account without a host", () => {
    const row = accountRow(account());
    expect(row.statusText).toBe("Active");
    expect(row.method).toBe("OAuth sign-in");
    expect(row.host).toBeNull();
    expect(row.canRelink).toBe(false);
  });

  it("offers re-link only to OAuth accounts that need it", () => {
    expect(accountRow(account({ status: "needs_relink" })).canRelink).toBe(true);
    const key = accountRow(account({ status: "needs_relink", auth_kind: "api_key" }));
    expect(key.canRelink).toBe(false);
    expect(key.statusText).toBe("Needs re-link");
    expect(key.method).toBe("API key");
  });

  it("names a non-production host (demo, sandbox)", () => {
    expect(accountRow(account({ base_url: "http://127.0.0.1:4100/lever/v1" })).host).toBe("127.0.0.1:4100");
  });
});

describe("unlinkConsequence", () => {
  it("names the keychain and the cached candidates", () => {
    const text = unlinkConsequence({ label: "Acme Lever", vendor: "lever" });
    expect(text).toContain("removes the key from your keychain and deletes the cached candidates of this account");
    expect(text).toContain("Acme Lever");
  });
});

describe("demoCards", () => {
  it("marks a demo account linked when its label is", () => {
    const cards = demoCards(
      [
        { vendor: "lever", label: "Demo Lever", method: "oauth", base_url: "http://127.0.0.1:1/lever/v1" },
        { vendor: "unberry", label: "Demo Unberry", method: "api_key", base_url: "http://127.0.0.1:1/unberry" },
      ],
      [account({ label: "Demo Lever" })],
    );
    expect(cards.map((c) => c.linked)).toEqual([true, false]);
    expect(cards[1]?.methodText).toContain("demo key");
  });
});

describe("suggestLabel", () => {
  it("numbers labels already taken", () => {
    expect(suggestLabel("lever", [])).toBe("Lever");
    expect(suggestLabel("lever", ["Lever", "Lever 2"])).toBe("Lever 3");
  });
});

describe("withArticle", () => {
  it("uses an before a vowel", () => {
    expect(withArticle("Unberry")).toBe("an Unberry");
    expect(withArticle("Lever")).toBe("a Lever");
  });
});
