import { describe, expect, it } from "vitest";
import { interpretDeepLink } from "./deeplinks";

describe("interpretDeepLink", () => {
  it("opens the linking step prefilled, never links by itself", () => {
    const outcome = interpretDeepLink({ type: "link_account", vendor: "lever", label: "Acme" });
    expect(outcome).toMatchObject({ kind: "link", vendor: "lever", label: "Acme" });
    expect(outcome.notice).toMatch(/confirm/);
  });

  it("defaults a missing label to empty", () => {
    const outcome = interpretDeepLink({ type: "link_account", vendor: "unberry", label: null });
    expect(outcome).toMatchObject({ kind: "link", label: "" });
  });

  it("explains a refused link with the reason from Rust", () => {
    const outcome = interpretDeepLink({ type: "refused", message: "Link refused. Unknown ATS." });
    expect(outcome.kind).toBe("refused");
    expect(outcome.notice).toBe("Link refused. Unknown ATS.");
  });
});
