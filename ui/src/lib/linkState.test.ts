import { describe, expect, it } from "vitest";
import type { Account, Error as CoreError } from "./bindings";
import { IDLE, isBusy, linkReducer, type LinkState } from "./linkState";

const account = { id: "a1", label: "Demo Lever" } as Account;
const denied: CoreError = { kind: "oauth", message: "Lever refused access.", status: null, vendor_code: "access_denied" };

describe("linkReducer", () => {
  it("goes from starting to waiting to linked", () => {
    let s: LinkState = linkReducer(IDLE, { type: "start_oauth", vendor: "lever" });
    expect(isBusy(s)).toBe(true);
    s = linkReducer(s, {
      type: "event",
      event: { type: "started", flow_id: "flow-1", vendor: "lever", authorize_url_host: "127.0.0.1" },
    });
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-1", host: "127.0.0.1" });
    s = linkReducer(s, { type: "flow_started", flowId: "flow-1", vendor: "lever" });
    expect(s.phase).toBe("waiting");
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-1", account } });
    expect(s).toEqual({ phase: "linked", flowId: "flow-1", account });
    expect(isBusy(s)).toBe(false);
  });

  it("keeps an outcome that arrived before the start command answered", () => {
    let s = linkReducer(IDLE, { type: "start_oauth", vendor: "lever" });
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-2", account } });
    s = linkReducer(s, { type: "flow_started", flowId: "flow-2", vendor: "lever" });
    expect(s.phase).toBe("linked");
  });

  it("ignores events of other flows", () => {
    const waiting: LinkState = { phase: "waiting", flowId: "flow-1", vendor: "lever", host: "h" };
    const s = linkReducer(waiting, { type: "event", event: { type: "failed", flow_id: "flow-9", error: denied } });
    expect(s).toBe(waiting);
  });

  it("records failures and resets", () => {
    const waiting: LinkState = { phase: "waiting", flowId: "flow-1", vendor: "lever", host: "h" };
    let s = linkReducer(waiting, { type: "event", event: { type: "failed", flow_id: "flow-1", error: denied } });
    expect(s).toEqual({ phase: "failed", flowId: "flow-1", error: denied });
    s = linkReducer(s, { type: "reset" });
    expect(s).toEqual(IDLE);
  });

  it("handles API keys without a flow", () => {
    let s = linkReducer(IDLE, { type: "check_key", vendor: "unberry" });
    expect(isBusy(s)).toBe(true);
    s = linkReducer(s, { type: "key_linked", account });
    expect(s).toEqual({ phase: "linked", flowId: null, account });
    s = linkReducer(IDLE, { type: "error", error: denied });
    expect(s.phase).toBe("failed");
  });
});
