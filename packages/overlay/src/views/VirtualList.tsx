/**
 * A fixed-row-height virtual list: only the rows in view (plus a few) are in the DOM, whatever the list length.
 * `scrollToIndex` with a changing `scrollKey` scrolls a row into view (used by evidence links).
 *
 * Rows are passed as `count` + `rowKey(i)` + `renderRow(i)`, not as an array prop: React's development build
 * diffs the changed props of every re-rendered component for its performance track, and diffing a list of
 * thousands of rows on every batch costs more than rendering it.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { OVERSCAN_ROWS } from '../store/constants.js';

/** Used before the viewport is measured (and in DOMs without layout). */
const FALLBACK_VIEWPORT = 600;
const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export interface VirtualListProps {
  count: number;
  rowKey(index: number): string;
  rowHeight: number;
  label: string;
  renderRow(index: number): ReactNode;
  scrollToIndex?: number;
  scrollKey?: number | string;
  empty?: ReactNode;
}

export function VirtualList(props: VirtualListProps) {
  const { count, rowKey, rowHeight, label, renderRow, scrollToIndex, scrollKey, empty } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);

  useIsoLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrollKey scrolls again when the same index is asked for twice
  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0) return;
    const height = el.clientHeight || FALLBACK_VIEWPORT;
    const top = scrollToIndex * rowHeight;
    if (top < el.scrollTop || top + rowHeight > el.scrollTop + height) {
      el.scrollTop = Math.max(0, top - Math.floor(height / 3));
      setScrollTop(el.scrollTop);
    }
  }, [scrollToIndex, scrollKey, rowHeight]);

  if (count === 0 && empty) return <div className="cs-scroll">{empty}</div>;

  const height = viewport > 0 ? viewport : FALLBACK_VIEWPORT;
  const maxTop = Math.max(0, count * rowHeight - height);
  const top = Math.min(scrollTop, maxTop);
  const start = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN_ROWS);
  const end = Math.min(count, Math.ceil((top + height) / rowHeight) + OVERSCAN_ROWS);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div
        key={rowKey(i)}
        role="listitem"
        aria-setsize={count}
        aria-posinset={i + 1}
        className="cs-vrow"
        style={{ top: i * rowHeight, height: rowHeight }}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className="cs-vlist"
      role="list"
      aria-label={label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="cachescope-virtual-list"
    >
      <div role="presentation" style={{ height: count * rowHeight, position: 'relative' }}>
        {rows}
      </div>
    </div>
  );
}
