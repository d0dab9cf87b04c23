/** One page of a keyset-paginated list, as `list_candidates` returns it. */
export interface Page<T> {
  items: T[];
  /** Cursor of the next page; null on the last page. */
  next_cursor: string | null;
}

export type PageLoader<T> = (cursor: string | null) => Promise<Page<T>>;

export interface PagedListOptions {
  /** Pages kept in memory; the least recently used beyond this are dropped (and re-fetched by cursor). */
  maxPages: number;
  /** Called whenever rows, the row count or the end of the list become known. */
  onchange?: () => void;
  /** Called when a page fails to load. */
  onerror?: (error: unknown) => void;
}

interface PageSlot<T> {
  /** Cursor that fetches this page (null for the first). */
  cursor: string | null;
  /** Index of the page's first row. */
  start: number;
  /** Rows it holds; known once it was loaded once, even if later evicted. */
  size: number | null;
  items: T[] | null;
  lastUsed: number;
}

/**
 * Random access over a cursor-paginated list. Pages are learned in order (page n's cursor comes
 * with page n-1), cached, evicted least-recently-used and re-fetched by their remembered cursor,
 * so scrolling 100k rows keeps memory bounded and never re-walks the list from the start.
 */
export class PagedList<T> {
  private readonly slots: PageSlot<T>[];
  /** The last slot: the page not seen yet, or the final page once `done`. */
  private tail: PageSlot<T>;
  private readonly inflight = new Map<number, Promise<void>>();
  private clock = 0;
  private finished = false;
  private failed: unknown = null;
  /** Rows the current `ensure` shows: their pages are never the ones evicted. */
  private protectedRows: [number, number] = [0, 0];

  constructor(
    private readonly loader: PageLoader<T>,
    private readonly options: PagedListOptions,
  ) {
    this.tail = { cursor: null, start: 0, size: null, items: null, lastUsed: 0 };
    this.slots = [this.tail];
  }

  /** Rows known so far (all rows once `done`). */
  get count(): number {
    return this.tail.start + (this.tail.size ?? 0);
  }

  /** Whether the last page has been seen, so `count` is final. */
  get done(): boolean {
    return this.finished;
  }

  /** The last load error, cleared by the next successful load. */
  get error(): unknown {
    return this.failed;
  }

  /** Pages currently held in memory. */
  get cachedPages(): number {
    return this.slots.filter((s) => s.items !== null).length;
  }

  /** The row at `index` if its page is in memory. */
  get(index: number): T | undefined {
    const slot = this.slotOf(index);
    if (!slot || !slot.items) return undefined;
    slot.lastUsed = ++this.clock;
    return slot.items[index - slot.start];
  }

  /**
   * Loads what rows [start, end) need: their pages, and the pages before them not yet seen
   * (their cursors are needed), plus the next page when `end` reaches the known end.
   */
  async ensure(start: number, end: number): Promise<void> {
    this.protectedRows = [start, end];
    for (;;) {
      const wanted = this.wantedPages(start, end);
      // Load one at a time: a later page's cursor may depend on the page loaded first.
      const first = wanted[0];
      if (first === undefined) return;
      await this.load(first);
      if (this.failed) return;
    }
  }

  /** Loads pages until the end is known (for End); keeps memory bounded by evicting. */
  async ensureAll(): Promise<void> {
    this.protectedRows = [0, 0];
    while (!this.finished && !this.failed) {
      await this.load(this.slots.indexOf(this.tail));
    }
  }

  private slotOf(index: number): PageSlot<T> | undefined {
    // Binary search on page starts; only pages whose size is known hold rows.
    let lo = 0;
    let hi = this.slots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.slots[mid]?.start ?? Infinity) <= index) lo = mid;
      else hi = mid - 1;
    }
    const slot = this.slots[lo];
    if (!slot || slot.size === null || index < slot.start || index >= slot.start + slot.size) return undefined;
    return slot;
  }

  private wantedPages(start: number, end: number): number[] {
    const wanted: number[] = [];
    for (const [p, slot] of this.slots.entries()) {
      if (slot.size === null) {
        // Not seen yet: needed if the window reaches its start.
        if (slot.start < end || (end >= this.count && !this.finished)) wanted.push(p);
        continue;
      }
      const overlaps = slot.start < end && slot.start + slot.size > start;
      if (overlaps && slot.items === null) wanted.push(p);
    }
    return wanted;
  }

  private load(page: number): Promise<void> {
    const pending = this.inflight.get(page);
    if (pending) return pending;
    const slot = this.slots[page];
    if (!slot) return Promise.resolve();
    const promise = this.loader(slot.cursor)
      .then((result) => {
        this.failed = null;
        slot.items = result.items;
        slot.lastUsed = ++this.clock;
        if (slot.size === null) {
          slot.size = result.items.length;
          if (result.next_cursor === null || result.items.length === 0) {
            this.finished = true;
          } else {
            this.tail = {
              cursor: result.next_cursor,
              start: slot.start + slot.size,
              size: null,
              items: null,
              lastUsed: 0,
            };
            this.slots.push(this.tail);
          }
        }
        this.evict(page);
        this.options.onchange?.();
      })
      .catch((error: unknown) => {
        this.failed = error;
        this.options.onerror?.(error);
      })
      .finally(() => this.inflight.delete(page));
    this.inflight.set(page, promise);
    return promise;
  }

  private isProtected(slot: PageSlot<T>): boolean {
    const [start, end] = this.protectedRows;
    return slot.size !== null && slot.start < end && slot.start + slot.size > start;
  }

  private evict(keep: number): void {
    const cached = this.slots
      .map((slot, i) => ({ slot, i }))
      .filter(({ slot, i }) => slot.items !== null && i !== keep && !this.isProtected(slot));
    const excess = cached.length + 1 - this.options.maxPages;
    if (excess <= 0) return;
    cached.sort((a, b) => a.slot.lastUsed - b.slot.lastUsed);
    for (const { slot } of cached.slice(0, excess)) slot.items = null;
  }
}
