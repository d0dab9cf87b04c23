import { describe, expect, it } from "vitest";
import { contactOf, fileSize, initials, isWebUrl, linkLabel } from "./candidate";

describe("contactOf", () => {
  it("reads emails, phones, links, tags, location and source", () => {
    const c = contactOf({
      emails: [{ email: "ana@example.com", type: "personal" }, { email: "" }],
      phones: [{ number: "+33 1 23", type: "mobile", extension: "12" }],
      urls: [{ url: "https://www.linkedin.com/in/ana", type: "linkedin" }, { url: "https://ana.dev" }],
      tags: [{ name: "Rust" }, { id: "x" }],
      location: "Paris",
      source: "Referral",
    });
    expect(c.emails).toEqual([{ value: "ana@example.com", kind: "personal" }]);
    expect(c.phones).toEqual([{ value: "+33 1 23 ext. 12", kind: "mobile" }]);
    expect(c.links.map((l) => l.label)).toEqual(["LinkedIn", "ana.dev"]);
    expect(c.tags).toEqual(["Rust"]);
    expect(c.location).toBe("Paris");
    expect(c.source).toBe("Referral");
  });

  it("copes with missing or malformed records", () => {
    expect(contactOf(null)).toEqual({ emails: [], phones: [], links: [], tags: [], location: null, source: null });
    expect(contactOf({ emails: "nope", phones: [1, null] }).emails).toEqual([]);
  });
});

it("opens only http(s) links", () => {
  expect(isWebUrl("https://x.org")).toBe(true);
  expect(isWebUrl("javascript:alert(1)")).toBe(false);
  expect(isWebUrl("file:///etc/passwd")).toBe(false);
  expect(linkLabel("not a url", null)).toBe("not a url");
});

it("formats sizes and initials (Unicode names too)", () => {
  expect(fileSize(512)).toBe("512 B");
  expect(fileSize(2048)).toBe("2 KB");
  expect(fileSize(1.5 * 1024 * 1024)).toBe("1.5 MB");
  expect(fileSize(null)).toBe("");
  expect(initials("Ana María López")).toBe("AL");
  expect(initials("Łukasz")).toBe("Ł");
  expect(initials("  ")).toBe("?");
  expect(initials("محمد علي")).toBe("مع");
});
