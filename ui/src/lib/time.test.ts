import { describe, expect, it } from "vitest";
import { absoluteTime, relativeTime } from "./time";

const now = new Date("2026-11-22T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe("relativeTime", () => {
  it("says just now, minutes, hours, yesterday, days", () => {
    expect(relativeTime(ago(10_000), now)).toBe("just now");
    expect(relativeTime(ago(5 * 60_000), now)).toBe("5 min ago");
    expect(relativeTime(ago(2 * 3_600_000), now)).toBe("2 h ago");
    expect(relativeTime(ago(30 * 3_600_000), now)).toBe("yesterday");
    expect(relativeTime(ago(3 * 86_400_000), now)).toBe("3 d ago");
  });
  it("says the future as 'in'", () => {
    expect(relativeTime(new Date(now.getTime() + 10 * 60_000), now)).toBe("in 10 min");
  });
  it("gives a date beyond a week, with the year when it differs", () => {
    expect(relativeTime(ago(20 * 86_400_000), now)).not.toMatch(/ago|20\d\d/);
    expect(relativeTime("2024-03-12T10:00:00Z", now)).toMatch(/2024/);
  });
  it("handles missing and invalid values", () => {
    expect(relativeTime(null, now)).toBe("never");
    expect(relativeTime("not a date", now)).toBe("unknown");
  });
});

it("absoluteTime gives a full date for the hover title", () => {
  expect(absoluteTime("2024-03-12T10:00:00Z")).toMatch(/2024/);
  expect(absoluteTime(null)).toBe("");
});
