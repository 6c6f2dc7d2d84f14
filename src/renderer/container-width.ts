/**
 * The width of a table's container, kept current by a ResizeObserver.
 *
 * Why measure in script rather than with CSS container queries: which columns fit depends on the sum of the shown
 * columns' minimum widths, a number that changes with every column a table declares; a container query would need a
 * breakpoint per table and column combination written out in CSS, and the detail view would still need to know in
 * script which columns are hidden. The observer fires only when the container's size changes (a window resize, a
 * scrollbar appearing), never on a data update, so a poll costs nothing extra.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';

/** Width in whole CSS pixels of `ref`'s content box, or null until it is mounted and measured. */
export function useContainerWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Measured before the first paint, so the table never shows with the wrong columns.
    setWidth(Math.floor(el.clientWidth));
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
