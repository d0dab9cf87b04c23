import { describe, expect, it } from "vitest";
import { PagedList, type Page } from "./pageCache";

/** A fake keyset server over `total` rows: cursor = index of the page's first row. */
function server(total: number, pageSize: number) {
  const calls: (string | null)[] = [];
  const load = async (cursor: string | null): Promise<Page<number>> => {
    calls.push(cursor);
    const from = cursor === null ? 0 : Number(cursor);
    const to = Math.min(total, from + pageSize);
    const items = Array.from({ length: to - from }, (_, i) => from + i);
    return { items, next_cursor: to < total ? String(to) : null };
  };
  return { load, calls };
}

describe("PagedList", () => {
  it("loads the first page and learns the next cursor", async () => {
    const s = server(1000, 100);
    const list = new PagedList(s.load, { maxPages: 10 });
    await list.ensure(0, 20);
    expect(list.get(0)).toBe(0);
    expect(list.get(99)).toBe(99);
    expect(list.get(100)).toBeUndefined();
    expect(list.count).toBe(100);
    expect(list.done).toBe(false);
    expect(s.calls).toEqual([null]);
  });

  it("fetches the next page when the window reaches the known end", async () => {
    const s = server(1000, 100);
    const list = new PagedList(s.load, { maxPages: 10 });
    await list.ensure(0, 20);
    await list.ensure(90, 100);
    expect(list.count).toBe(200);
    expect(list.get(150)).toBe(150);
  });

  it("walks pages in order to reach a far window, then stops at the end", async () => {
    const s = server(250, 100);
    const list = new PagedList(s.load, { maxPages: 10 });
    await list.ensure(220, 240);
    expect(s.calls).toEqual([null, "100", "200"]);
    expect(list.get(230)).toBe(230);
    expect(list.done).toBe(true);
    expect(list.count).toBe(250);
    await list.ensure(240, 260);
    expect(s.calls).toHaveLength(3);
  });

  it("does not refetch cached pages", async () => {
    const s = server(1000, 100);
    const list = new PagedList(s.load, { maxPages: 10 });
    await list.ensure(0, 20);
    await list.ensure(5, 30);
    expect(s.calls).toEqual([null]);
  });

  it("bounds memory at 100k rows, re-fetching evicted pages by their cursor", async () => {
    const s = server(100_000, 500);
    const list = new PagedList(s.load, { maxPages: 4 });
    await list.ensureAll();
    expect(list.done).toBe(true);
    expect(list.count).toBe(100_000);
    expect(list.cachedPages).toBeLessThanOrEqual(4);
    expect(list.get(99_999)).toBe(99_999);
    expect(list.get(10)).toBeUndefined();
    const before = s.calls.length;
    await list.ensure(10, 30);
    expect(s.calls.slice(before)).toEqual([null]);
    expect(list.get(10)).toBe(10);
    await list.ensure(50_000, 50_020);
    expect(s.calls[s.calls.length - 1]).toBe("50000");
    expect(list.get(50_010)).toBe(50_010);
  });

  it("never evicts the pages of the window being shown", async () => {
    const s = server(10_000, 100);
    const list = new PagedList(s.load, { maxPages: 2 });
    await list.ensure(150, 450);
    for (const i of [150, 250, 350, 449]) expect(list.get(i)).toBe(i);
  });

  it("shares one request between concurrent ensures of the same page", async () => {
    const s = server(1000, 100);
    const list = new PagedList(s.load, { maxPages: 10 });
    await Promise.all([list.ensure(0, 10), list.ensure(0, 10)]);
    expect(s.calls).toEqual([null]);
  });

  it("reports a failed page and retries it on the next ensure", async () => {
    let fail = true;
    const s = server(300, 100);
    const errors: unknown[] = [];
    const list = new PagedList(
      (cursor) => (fail ? Promise.reject(new Error("offline")) : s.load(cursor)),
      { maxPages: 10, onerror: (e) => errors.push(e) },
    );
    await list.ensure(0, 10);
    expect(errors).toHaveLength(1);
    expect(list.error).toBeInstanceOf(Error);
    expect(list.count).toBe(0);
    fail = false;
    await list.ensure(0, 10);
    expect(list.error).toBeNull();
    expect(list.get(5)).toBe(5);
  });

  it("knows an empty list is done after one call", async () => {
    const s = server(0, 100);
    const list = new PagedList(s.load, { maxPages: 10 });
    await list.ensure(0, 0);
    expect(list.done).toBe(true);
    expect(list.count).toBe(0);
  });
});
