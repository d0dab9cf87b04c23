import { describe, expect, it } from "vitest";
import { errorMessage } from "./errors";

describe("errorMessage", () => {
  it("shows a core error's message as is", () => {
    expect(
      errorMessage({ kind: "rate_limited", message: "Lever is busy; try again in a minute.", status: 429, vendor_code: null }),
    ).toBe("Lever is busy; try again in a minute.");
  });

  it("handles thrown Errors, strings and anything else", () => {
    expect(errorMessage(new Error("boom"))).toBe("boom");
    expect(errorMessage("plain")).toBe("plain");
    expect(errorMessage(42)).toBe("Something went wrong.");
  });
});
