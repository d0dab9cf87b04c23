import { describe, expect, it } from "vitest";
import { LatestOnly, asYouType } from "./sequencer";

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

describe("asYouType", () => {
  it("delivers only the latest text's results when answers arrive out of order", async () => {
    const pending = new Map<string, ReturnType<typeof deferred<string[]>>>();
    const delivered: [string, string[]][] = [];
    const type = asYouType(
      (text) => {
        const d = deferred<string[]>();
        pending.set(text, d);
        return d.promise;
      },
      (text, items) => delivered.push([text, items]),
      () => {},
    );
    const a = type("a");
    const an = type("an");
    const ann = type("ann");
    pending.get("ann")!.resolve(["Ann"]);
    pending.get("a")!.resolve(["Ann", "Bob"]);
    pending.get("an")!.resolve(["Ann", "Dan"]);
    await Promise.all([a, an, ann]);
    expect(delivered).toEqual([["ann", ["Ann"]]]);
  });

  it("clears on empty text without searching, and drops the answer in flight", async () => {
    const d = deferred<string[]>();
    const calls: string[] = [];
    const delivered: [string, string[]][] = [];
    const type = asYouType(
      (text) => {
        calls.push(text);
        return d.promise;
      },
      (text, items) => delivered.push([text, items]),
      () => {},
    );
    const first = type("bo");
    await type("  ");
    d.resolve(["Bob"]);
    await first;
    expect(calls).toEqual(["bo"]);
    expect(delivered).toEqual([["  ", []]]);
  });

  it("reports the latest search's failure", async () => {
    const failures: string[] = [];
    const type = asYouType(
      () => Promise.reject(new Error("database is locked")),
      () => {},
      (text, e) => failures.push(`${text}: ${(e as Error).message}`),
    );
    await type("x");
    expect(failures).toEqual(["x: database is locked"]);
  });
});
