/**
 * Windowing for long tables: only the rows inside the scrolled viewport (plus some overscan) are rendered, so a
 * snapshot with hundreds of processes costs a few dozen rows of React work and layout instead of all of them.
 * Hand-written rather than @tanstack/react-virtual: rows here are of one height (an open detail row is absorbed by the
 * overscan), which 60 lines handle; virtual-core would add 10.8 KB gzipped to the bundle (`npm run bench table-model`).
 */
import { useLayoutEffect, useState, type RefObject } from 'react';

/** Rows kept above and below the viewport, so fast scrolling rarely shows a blank strip. */
const OVERSCAN = 8;
/** Used until a rendered row has been measured. */
const DEFAULT_ROW_HEIGHT = 40;

export interface RowWindow {
  first: number;
  /** Exclusive. */
  last: number;
  rowHeight: number;
}

/** The element that scrolls `el` (the dashboard's main area), or the document. */
export function nearestScroller(el: HTMLElement): HTMLElement {
  for (let node = el.parentElement; node; node = node.parentElement) {
    // A wrapper with overflow-x: auto computes overflow-y: auto too, but does not scroll vertically: skip it.
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return document.documentElement;
}

/**
 * The slice of `count` rows to render for the table body `body`. When `enabled` is false every row is rendered.
 * Rows are taken as equally tall (measured from a rendered one); an open detail row shifts those below it by its
 * height, which the overscan absorbs.
 */
export function useRowWindow(body: RefObject<HTMLElement | null>, count: number, enabled: boolean): RowWindow {
  const [win, setWin] = useState<RowWindow>({ first: 0, last: count, rowHeight: DEFAULT_ROW_HEIGHT });
  useLayoutEffect(() => {
    const el = body.current;
    if (!enabled || !el) return; // the full range is returned below
    const scroller = nearestScroller(el);
    const update = () => {
      const row = el.querySelector<HTMLElement>('tr.data-row');
      const rowHeight = row?.offsetHeight || DEFAULT_ROW_HEIGHT;
      const viewTop = scroller === document.documentElement ? 0 : scroller.getBoundingClientRect().top;
      const offset = viewTop - el.getBoundingClientRect().top; // how far the body's top is scrolled above the viewport
      const first = Math.max(0, Math.min(count, Math.floor(offset / rowHeight) - OVERSCAN));
      const last = Math.max(first, Math.min(count, Math.ceil((offset + scroller.clientHeight) / rowHeight) + OVERSCAN));
      setWin((prev) => (prev.first === first && prev.last === last && prev.rowHeight === rowHeight ? prev : { first, last, rowHeight }));
    };
    update();
    const target: HTMLElement | Window = scroller === document.documentElement ? window : scroller;
    target.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      target.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [body, count, enabled]);
  return enabled ? win : { first: 0, last: count, rowHeight: win.rowHeight };
}
