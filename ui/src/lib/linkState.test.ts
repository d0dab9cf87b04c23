import { describe, expect, it } from "vitest";
import type { Account, Error as CoreError } from "./bindings";
import { IDLE, isBusy, linkReducer, type LinkState } from "./linkState";

const account = { id: "a1", label: "Demo Lever" } as Account;
const denied: CoreError = { kind: "oauth", message: "Lever refused access.", status: null, vendor_code: "access_denied" };

describe("linkReducer", () => {
  it("goes from starting to waiting to linked", () => {
    let s: LinkState = linkReducer(IDLE, { type: "start_oauth", vendor: "lever", attempt: 1 });
    expect(isBusy(s)).toBe(true);
    s = linkReducer(s, {
      type: "event",
      event: { type: "started", flow_id: "flow-1", vendor: "lever", authorize_url_host: "127.0.0.1" },
    });
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-1", host: "127.0.0.1" });
    s = linkReducer(s, { type: "flow_started", flowId: "flow-1", vendor: "lever", attempt: 1 });
    expect(s.phase).toBe("waiting");
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-1", account } });
    expect(s).toEqual({ phase: "linked", flowId: "flow-1", account });
    expect(isBusy(s)).toBe(false);
  });

  it("keeps an outcome that arrived before the start command answered", () => {
    let s = linkReducer(IDLE, { type: "start_oauth", vendor: "lever", attempt: 1 });
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-2", account } });
    s = linkReducer(s, { type: "flow_started", flowId: "flow-2", vendor: "lever", attempt: 1 });
    expect(s.phase).toBe("linked");
  });

  it("ignores events of other flows", () => {
    const waiting: LinkState = { phase: "waiting", flowId: "flow-1", vendor: "lever", host: "h", attempt: 1 };
    const s = linkReducer(waiting, { type: "event", event: { type: "failed", flow_id: "flow-9", error: denied } });
    expect(s).toBe(waiting);
  });

  it("records failures and resets", () => {
    const waiting: LinkState = { phase: "waiting", flowId: "flow-1", vendor: "lever", host: "h", attempt: 1 };
    let s = linkReducer(waiting, { type: "event", event: { type: "failed", flow_id: "flow-1", error: denied } });
    expect(s).toEqual({ phase: "failed", flowId: "flow-1", error: denied });
    s = linkReducer(s, { type: "reset" });
    expect(s).toEqual(IDLE);
  });

  it("handles API keys without a flow", () => {
    let s = linkReducer(IDLE, { type: "check_key", vendor: "unberry", attempt: 1 });
    expect(isBusy(s)).toBe(true);
    s = linkReducer(s, { type: "key_linked", account, attempt: 1 });
    expect(s).toEqual({ phase: "linked", flowId: null, account });
    s = linkReducer({ phase: "checking", vendor: "unberry", attempt: 2 }, { type: "error", error: denied, attempt: 2 });
    expect(s.phase).toBe("failed");
  });

  it("ignores a late answer of an earlier attempt: the attempt now running stays its own", () => {
    // SmartRecruiters' flow completed through its events; its start command answered only
    // after the recruiter had clicked Lever. Before, that answer turned Lever's attempt into a
    // wait for SmartRecruiters' finished flow: Lever's own outcome was then ignored and the
    // screen stayed busy (the e2e secrets audit once found every Link button disabled).
    let s: LinkState = linkReducer(IDLE, { type: "start_oauth", vendor: "smartrecruiters", attempt: 1 });
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-1", account } });
    expect(s.phase).toBe("linked");
    s = linkReducer(IDLE, { type: "start_oauth", vendor: "lever", attempt: 2 });
    const late = linkReducer(s, { type: "flow_started", flowId: "flow-1", vendor: "smartrecruiters", attempt: 1 });
    expect(late).toBe(s);
    s = linkReducer(late, { type: "flow_started", flowId: "flow-2", vendor: "lever", attempt: 2 });
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-2", vendor: "lever" });
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-2", account } });
    expect(s.phase).toBe("linked");
    expect(isBusy(s)).toBe(false);
  });

  it("ignores a late key check or error of an earlier attempt", () => {
    const running: LinkState = { phase: "starting", vendor: "lever", attempt: 3 };
    expect(linkReducer(running, { type: "key_linked", account, attempt: 2 })).toBe(running);
    expect(linkReducer(running, { type: "error", error: denied, attempt: 2 })).toBe(running);
  });
});
