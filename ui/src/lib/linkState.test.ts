import { describe, expect, it } from "vitest";
import type { Account, Error as CoreError } from "./bindings";
import { IDLE, abandonedFlow, isBusy, linkReducer, type LinkAction, type LinkState } from "./linkState";

const account = { id: "a1", label: "Demo Lever" } as Account;
const denied: CoreError = { kind: "oauth", message: "Lever refused access.", status: null, vendor_code: "access_denied" };

describe("linkReducer", () => {
  it("goes from starting to waiting to linked, whichever of the answer and the first event comes first", () => {
    let s: LinkState = linkReducer(IDLE, { type: "start_oauth", vendor: "lever", attempt: 1 });
    expect(isBusy(s)).toBe(true);
    s = linkReducer(s, {
      type: "event",
      event: { type: "started", flow_id: "flow-1", vendor: "lever", authorize_url_host: "127.0.0.1" },
    });
    expect(s.phase).toBe("starting");
    s = linkReducer(s, { type: "flow_started", flowId: "flow-1", vendor: "lever", attempt: 1 });
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-1", host: "127.0.0.1" });
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-1", account } });
    expect(s).toEqual({ phase: "linked", flowId: "flow-1", account });
    expect(isBusy(s)).toBe(false);

    s = linkReducer(IDLE, { type: "start_oauth", vendor: "lever", attempt: 2 });
    s = linkReducer(s, { type: "flow_started", flowId: "flow-2", vendor: "lever", attempt: 2 });
    s = linkReducer(s, {
      type: "event",
      event: { type: "started", flow_id: "flow-2", vendor: "lever", authorize_url_host: "auth.lever.co" },
    });
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-2", host: "auth.lever.co" });
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

  it("does not take a closed attempt's flow for the one now starting", () => {
    // The recruiter closed the step while SmartRecruiters' sign-in was starting, then linked
    // Lever. SmartRecruiters' flow still ran: its events came while Lever's start command had
    // not answered yet. Before, "starting" took any flow's events as its own: the screen showed
    // SmartRecruiters' failure (or account) as Lever's, and waited on the wrong flow.
    let s: LinkState = linkReducer(IDLE, { type: "start_oauth", vendor: "smartrecruiters", attempt: 1 });
    s = linkReducer(s, { type: "reset" });
    s = linkReducer(s, { type: "start_oauth", vendor: "lever", attempt: 2 });
    s = linkReducer(s, { type: "event", event: { type: "failed", flow_id: "flow-1", error: denied } });
    expect(s.phase).toBe("starting");
    const beforeLate = s;
    const lateAnswer: LinkAction = { type: "flow_started", flowId: "flow-1", vendor: "smartrecruiters", attempt: 1 };
    s = linkReducer(s, lateAnswer);
    expect(s).toBe(beforeLate);
    expect(abandonedFlow(beforeLate, lateAnswer, s)).toBe("flow-1");
    const answer: LinkAction = { type: "flow_started", flowId: "flow-2", vendor: "lever", attempt: 2 };
    const starting = s;
    s = linkReducer(s, answer);
    expect(abandonedFlow(starting, answer, s)).toBeNull();
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-2", vendor: "lever" });
    s = linkReducer(s, { type: "event", event: { type: "completed", flow_id: "flow-2", account } });
    expect(s.phase).toBe("linked");
    expect(isBusy(s)).toBe(false);
  });

  it("keeps at most a few early events while starting", () => {
    let s: LinkState = linkReducer(IDLE, { type: "start_oauth", vendor: "lever", attempt: 1 });
    for (let i = 0; i < 50; i++) {
      s = linkReducer(s, { type: "event", event: { type: "failed", flow_id: `stray-${i}`, error: denied } });
    }
    expect(s.phase === "starting" && s.early.length).toBe(8);
    s = linkReducer(s, { type: "flow_started", flowId: "flow-1", vendor: "lever", attempt: 1 });
    expect(s).toMatchObject({ phase: "waiting", flowId: "flow-1" });
  });

  it("ignores a late key check or error of an earlier attempt", () => {
    const running: LinkState = { phase: "starting", vendor: "lever", attempt: 3, early: [] };
    expect(linkReducer(running, { type: "key_linked", account, attempt: 2 })).toBe(running);
    expect(linkReducer(running, { type: "error", error: denied, attempt: 2 })).toBe(running);
  });
});
