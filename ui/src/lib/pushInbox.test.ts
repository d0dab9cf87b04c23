import { afterEach, describe, expect, it } from "vitest";
import type { ResumeDroppedEvent } from "./bindings";
import { deliver, onResumeDropped, resetPushInbox } from "./pushInbox";

const event = (path: string): ResumeDroppedEvent => ({ path, draft: null, error: null });

afterEach(resetPushInbox);

describe("push inbox", () => {
  it("keeps a drop that arrives before the Push screen listens, then hands it over once", () => {
    deliver(event("/a.pdf"));
    const seen: string[] = [];
    const stop = onResumeDropped((e) => seen.push(e.path));
    expect(seen).toEqual(["/a.pdf"]);
    deliver(event("/b.pdf"));
    expect(seen).toEqual(["/a.pdf", "/b.pdf"]);
    stop();
    const again: string[] = [];
    onResumeDropped((e) => again.push(e.path));
    expect(again).toEqual([]);
  });

  it("keeps only the latest unclaimed drop", () => {
    deliver(event("/old.pdf"));
    deliver(event("/new.pdf"));
    const seen: string[] = [];
    onResumeDropped((e) => seen.push(e.path));
    expect(seen).toEqual(["/new.pdf"]);
  });
});
