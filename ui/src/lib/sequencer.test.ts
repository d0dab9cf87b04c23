import { describe, expect, it } from "vitest";
import { LatestOnly } from "./sequencer";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("LatestOnly", () => {
  it("drops an older answer that arrives after a newer one", async () => {
    const seq = new LatestOnly();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = seq.run(() => slow.promise);
    const second = seq.run(() => fast.promise);
    fast.resolve("ad");
    slow.resolve("a");
    expect(await second).toEqual({ stale: false, value: "ad" });
    expect(await first).toEqual({ stale: true });
  });

  it("delivers the newest answer even when it is the slowest", async () => {
    const seq = new LatestOnly();
    const a = deferred<number>();
    const b = deferred<number>();
    const ra = seq.run(() => a.promise);
    const rb = seq.run(() => b.promise);
    a.resolve(1);
    expect(await ra).toEqual({ stale: true });
    b.resolve(2);
    expect(await rb).toEqual({ stale: false, value: 2 });
  });

  it("rethrows the newest request's error but swallows a stale one's", async () => {
    const seq = new LatestOnly();
    const old = deferred<number>();
    const stale = seq.run(() => old.promise);
    const fresh = seq.run(() => Promise.reject(new Error("offline")));
    old.reject(new Error("late"));
    expect(await stale).toEqual({ stale: true });
    await expect(fresh).rejects.toThrow("offline");
  });

  it("invalidate makes requests in flight stale", async () => {
    const seq = new LatestOnly();
    const d = deferred<number>();
    const r = seq.run(() => d.promise);
    seq.invalidate();
    d.resolve(1);
    expect(await r).toEqual({ stale: true });
  });
});
