import type { Error as CoreError, ErrorKind } from "./bindings";

function isCoreError(value: unknown): value is CoreError {
  return (
    typeof value === "object" &&
    value !== null &&
    "kind" in value &&
    "message" in value &&
    typeof (value as { message: unknown }).message === "string"
  );
}

/** The message to show for anything a command or the IPC layer threw. */
export function errorMessage(error: unknown): string {
  if (isCoreError(error)) return error.message;
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return "Something went wrong.";
}

/** Anything thrown, as the core's error shape (kind `internal` when it was not one). */
export function toCoreError(error: unknown): CoreError {
  if (isCoreError(error)) return error;
  return { kind: "internal", message: errorMessage(error), status: null, vendor_code: null };
}

const LINK_TITLES: Partial<Record<ErrorKind, string>> = {
  auth: "The ATS refused these credentials",
  forbidden: "These credentials lack the needed access",
  network: "The ATS could not be reached",
  offline: "You are offline",
  keychain: "Your keychain cannot be used",
  conflict: "That label is taken",
  validation: "Something in the form needs fixing",
  oauth: "Sign-in did not finish",
  cancelled: "Linking was cancelled",
  rate_limited: "The ATS is busy",
  vendor: "The ATS had a problem",
};

/** What to do next, for kinds whose message does not already say it. */
const LINK_ADVICE: Partial<Record<ErrorKind, string>> = {
  auth: "Check the key (or sign in again) and try once more.",
  forbidden: "Ask your ATS admin for an API key or user with candidate access.",
  network: "Check your connection and the API address, then try again.",
  offline: "Reconnect, then try again.",
  rate_limited: "Wait a minute, then try again.",
  vendor: "Try again in a few minutes.",
  conflict: "Choose another label for this account.",
};

/** A failed link as a title, the core's message, and advice when the message lacks it. */
export function linkFailure(error: CoreError): { title: string; body: string; advice: string | null } {
  return {
    title: LINK_TITLES[error.kind] ?? "The account was not linked",
    body: error.message,
    advice: LINK_ADVICE[error.kind] ?? null,
  };
}

const ACTION_TITLES: Partial<Record<ErrorKind, (vendor: string) => string>> = {
  offline: () => "Not sent: you are offline",
  network: (v) => `${v} could not be reached`,
  auth: (v) => `${v} refused this account's credentials`,
  forbidden: (v) => `${v} does not allow this for this account`,
  not_found: (v) => `${v} no longer has this record`,
  rate_limited: (v) => `${v} is busy`,
  validation: (v) => `${v} refused the change`,
  conflict: (v) => `${v} refused the change`,
  vendor: (v) => `${v} had a problem`,
  keychain: () => "Your keychain cannot be used",
  needs_relink: (v) => `The ${v} account must be linked again`,
  storage: () => "The local cache failed",
  io: () => "The file could not be written",
};

const ACTION_ADVICE: Partial<Record<ErrorKind, string>> = {
  offline: "Reconnect, then try again.",
  network: "Check your connection, then try again.",
  auth: "Re-link the account on the Accounts screen.",
  forbidden: "Ask your ATS admin for the needed permission.",
  not_found: "Sync the account to refresh the cache.",
  rate_limited: "Wait a minute, then try again.",
  vendor: "Try again in a few minutes.",
  needs_relink: "Re-link it on the Accounts screen.",
};

/** A failed vendor action (stage move, reject, download...) as a title and what to do next. */
export function actionFailure(error: CoreError, vendor: string): { title: string; body: string } {
  const title = ACTION_TITLES[error.kind]?.(vendor) ?? "That did not work";
  const advice = ACTION_ADVICE[error.kind];
  // The core's message may already say to try again (the offline refusal does): no echo.
  const saysIt = (text: string) => /try again/i.test(text);
  const redundant = !advice || error.message.includes(advice) || (saysIt(advice) && saysIt(error.message));
  return { title, body: redundant ? error.message : `${error.message} ${advice}` };
}
