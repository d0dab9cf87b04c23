import { describe, expect, it } from "vitest";
import type { Error as CoreError } from "./bindings";
import { actionFailure, errorMessage, linkFailure, toCoreError } from "./errors";

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

describe("linkFailure", () => {
  it("gives a title and advice for a refused key", () => {
    const f = linkFailure({ kind: "auth", message: "Unberry refused the API key.", status: 401, vendor_code: null });
    expect(f.title).toMatch(/refused/);
    expect(f.body).toBe("Unberry refused the API key.");
    expect(f.advice).toMatch(/Check the key/);
  });

  it("leaves advice to messages that already give it", () => {
    const f = linkFailure({ kind: "keychain", message: "Unlock your keyring and try again.", status: null, vendor_code: null });
    expect(f.title).toMatch(/keychain/);
    expect(f.advice).toBeNull();
  });

  it("wraps anything thrown as a core error", () => {
    expect(toCoreError("boom")).toEqual({ kind: "internal", message: "boom", status: null, vendor_code: null });
  });
});

describe("actionFailure", () => {
  const err = (kind: CoreError["kind"], message: string): CoreError => ({ kind, message, status: null, vendor_code: null });

  it("names the vendor and says what to do next", () => {
    expect(actionFailure(err("network", "Timed out."), "Lever")).toEqual({
      title: "Lever could not be reached",
      body: "Timed out. Check your connection, then try again.",
    });
    expect(actionFailure(err("offline", "No network."), "Lever")).toEqual({
      title: "Not sent: you are offline",
      body: "No network. Reconnect, then try again.",
    });
  });

  it("does not repeat advice the core's message already gives", () => {
    const said = "You're offline, so nothing was sent. Try again once the connection is back.";
    expect(actionFailure(err("offline", said), "Lever").body).toBe(said);
  });

  it("keeps the core's message as is for kinds without advice", () => {
    expect(actionFailure(err("internal", "Oops."), "Unberry")).toEqual({ title: "That did not work", body: "Oops." });
  });
});
