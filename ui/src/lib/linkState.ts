import type { Account, Error as CoreError, LinkEvent, Vendor } from "./bindings";

/** Where one linking attempt stands, as the Accounts screen shows it. */
export type LinkState =
  | { phase: "idle" }
  /** An API key is being checked with the vendor. */
  | { phase: "checking"; vendor: Vendor; attempt: number }
  /**
   * The OAuth flow is being prepared; its id is not known yet. Events that arrive meanwhile
   * wait in `early` until the start command names the flow: they may be a late flow of an
   * attempt the recruiter closed, not this one.
   */
  | { phase: "starting"; vendor: Vendor; attempt: number; early: LinkEvent[] }
  /** The consent page is open in the browser. */
  | { phase: "waiting"; flowId: string; vendor: Vendor; host: string; attempt: number }
  | { phase: "linked"; flowId: string | null; account: Account }
  | { phase: "failed"; flowId: string | null; error: CoreError };

/**
 * Each click that starts linking is an attempt, numbered by the screen. A command's answer
 * carries its attempt's number: the answer of an earlier attempt that arrives late (its flow
 * already completed by its events) must not take over the attempt now running.
 */
export type LinkAction =
  | { type: "check_key"; vendor: Vendor; attempt: number }
  | { type: "start_oauth"; vendor: Vendor; attempt: number }
  /** The start command answered with the flow id. */
  | { type: "flow_started"; flowId: string; vendor: Vendor; attempt: number }
  | { type: "event"; event: LinkEvent }
  | { type: "key_linked"; account: Account; attempt: number }
  | { type: "error"; error: CoreError; attempt: number }
  | { type: "reset" };

export const IDLE: LinkState = { phase: "idle" };

/** True when `state` is the attempt `attempt` still waiting for its command's answer. */
function awaitsAnswer(state: LinkState, attempt: number): boolean {
  return (state.phase === "starting" || state.phase === "checking") && state.attempt === attempt;
}

/** More events than one flow sends (started, then an outcome) before its start command answers. */
const EARLY_EVENTS_KEPT = 8;

/**
 * Events and command answers can arrive in either order (the browser may finish before the
 * start command returns): a flow's events are kept until the answer names the flow, then
 * applied; events of other flows are ignored.
 */
export function linkReducer(state: LinkState, action: LinkAction): LinkState {
  switch (action.type) {
    case "check_key":
      return { phase: "checking", vendor: action.vendor, attempt: action.attempt };
    case "start_oauth":
      return { phase: "starting", vendor: action.vendor, attempt: action.attempt, early: [] };
    case "flow_started": {
      if (state.phase !== "starting" || state.attempt !== action.attempt) return state;
      const waiting: LinkState = {
        phase: "waiting",
        flowId: action.flowId,
        vendor: action.vendor,
        host: "",
        attempt: action.attempt,
      };
      return state.early.reduce<LinkState>((s, event) => linkReducer(s, { type: "event", event }), waiting);
    }
    case "event": {
      const event = action.event;
      if (state.phase === "starting") {
        return { ...state, early: [...state.early, event].slice(-EARLY_EVENTS_KEPT) };
      }
      if (state.phase !== "waiting" || state.flowId !== event.flow_id) return state;
      switch (event.type) {
        case "started":
          return {
            phase: "waiting",
            flowId: event.flow_id,
            vendor: event.vendor,
            host: event.authorize_url_host,
            attempt: state.attempt,
          };
        case "completed":
          return { phase: "linked", flowId: event.flow_id, account: event.account };
        case "failed":
          return { phase: "failed", flowId: event.flow_id, error: event.error };
      }
      return state;
    }
    case "key_linked":
      return awaitsAnswer(state, action.attempt) ? { phase: "linked", flowId: null, account: action.account } : state;
    case "error":
      return awaitsAnswer(state, action.attempt) ? { phase: "failed", flowId: null, error: action.error } : state;
    case "reset":
      return IDLE;
  }
}

/**
 * The flow to cancel when the start command of an attempt the recruiter already left (closed
 * the step while it was starting) names its flow: nobody waits for it any more, and its
 * loopback listener and consent page should not stay open.
 */
export function abandonedFlow(before: LinkState, action: LinkAction, after: LinkState): string | null {
  return action.type === "flow_started" && after === before ? action.flowId : null;
}

/** True while the app waits on the vendor or the browser: the form is locked. */
export function isBusy(state: LinkState): boolean {
  return state.phase === "checking" || state.phase === "starting" || state.phase === "waiting";
}
