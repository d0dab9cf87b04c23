import type { Vendor } from "./bindings";

export interface VendorStyle {
  name: string;
  /** Badge background; text is white on each, at WCAG AA contrast or better. */
  color: string;
}

export const VENDORS: Record<Vendor, VendorStyle> = {
  smartrecruiters: { name: "SmartRecruiters", color: "#1d6fc9" },
  lever: { name: "Lever", color: "#2f6b4f" },
  unberry: { name: "Unberry", color: "#a1306b" },
};

/** Vendors whose stages differ per job (the others have one pipeline for every job). */
const STAGES_PER_JOB: Record<Vendor, boolean> = {
  smartrecruiters: false,
  lever: false,
  unberry: true,
};

export function stagesPerJob(vendor: Vendor): boolean {
  return STAGES_PER_JOB[vendor];
}

export const VENDOR_IDS = Object.keys(VENDORS) as Vendor[];

export function vendorName(vendor: Vendor): string {
  return VENDORS[vendor].name;
}
