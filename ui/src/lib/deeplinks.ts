import type { DeepLinkEvent, Vendor } from "./bindings";
import { vendorName } from "./vendors";

/** What the UI does with one deep link. */
export type DeepLinkOutcome =
  | { kind: "link"; vendor: Vendor; label: string; notice: string }
  | { kind: "refused"; notice: string }
  | { kind: "oauth"; notice: string };

/**
 * A deep link only ever opens a screen prefilled for the user to confirm; a refused link is
 * explained, never silently dropped.
 */
export function interpretDeepLink(event: DeepLinkEvent): DeepLinkOutcome {
  switch (event.type) {
    case "link_account":
      return {
        kind: "link",
        vendor: event.vendor,
        label: event.label ?? "",
        notice: `A link asked to connect a ${vendorName(event.vendor)} account. Check the details and confirm.`,
      };
    case "oauth_callback":
      return { kind: "oauth", notice: "Received the sign-in response from your browser." };
    case "refused":
      return { kind: "refused", notice: event.message };
  }
}
