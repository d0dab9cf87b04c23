/**
 * Keeps only the newest answer of a stream of requests: as-you-type search sends a request per
 * keystroke, and an older, slower answer must never replace a newer one.
 */
export class LatestOnly {
  private issued = 0;

  /**
   * Runs `request`; resolves with its value when it is still the newest request once it
   * settles, or with `{ stale: true }` when a newer one was issued meanwhile.
   * Errors of stale requests are swallowed as stale too.
   */
  async run<T>(request: () => Promise<T>): Promise<{ stale: false; value: T } | { stale: true }> {
    const ticket = ++this.issued;
    try {
      const value = await request();
      return ticket === this.issued ? { stale: false, value } : { stale: true };
    } catch (error) {
      if (ticket !== this.issued) return { stale: true };
      throw error;
    }
  }

  /** Makes every request in flight stale (e.g. when the query is cleared). */
  invalidate(): void {
    this.issued++;
  }
}

/**
 * Search as you type without debounce: every keystroke searches at once and only the answer
 * to the latest text is delivered; an empty text clears without a request.
 */
export function asYouType<T>(
  search: (text: string) => Promise<T[]>,
  deliver: (text: string, items: T[]) => void,
  fail: (text: string, error: unknown) => void,
): (text: string) => Promise<void> {
  const latest = new LatestOnly();
  return async (text: string) => {
    const trimmed = text.trim();
    if (trimmed === "") {
      latest.invalidate();
      deliver(text, []);
      return;
    }
    try {
      const result = await latest.run(() => search(trimmed));
      if (!result.stale) deliver(text, result.value);
    } catch (error) {
      fail(text, error);
    }
  };
}
