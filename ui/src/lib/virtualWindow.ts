/** Which rows of a fixed-row-height list to render for a scroll position. */
export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
  overscan: number;
}

export interface RowWindow {
  /** First rendered row (inclusive). */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Offset of the first rendered row from the top of the scroll content, in px. */
  offsetTop: number;
  /** Height of the whole scroll content, in px. */
  totalHeight: number;
}

export function visibleWindow({ scrollTop, viewportHeight, rowHeight, count, overscan }: WindowInput): RowWindow {
  const totalHeight = count * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: Math.max(0, totalHeight) };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** Rows that fit in the viewport entirely (at least 1): the step of Page Up / Page Down. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/**
 * The scrollTop that brings row `index` fully into view, moving as little as possible;
 * the current scrollTop when it is already visible.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}
