/** The panel's resize handle: drag with the mouse, or focus it and use the arrow keys (Shift: bigger steps). */
import { useCallback, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { MAX_PANEL_SIZE, MIN_PANEL_SIZE, RESIZE_STEP, RESIZE_STEP_LARGE } from '../store/constants.js';
import { useActions, useOverlayState } from './context.js';

export function maxPanelSize(): number {
  return typeof window !== 'undefined' && window.innerHeight > 0 ? Math.max(MIN_PANEL_SIZE, window.innerHeight - 48) : MAX_PANEL_SIZE;
}

export function ResizeHandle({ dock }: { dock: 'top' | 'bottom' }) {
  const size = useOverlayState((s) => s.size);
  const { setSize } = useActions();
  const drag = useRef<{ startY: number; startSize: number } | null>(null);
  const max = maxPanelSize();
  const apply = useCallback((next: number) => setSize(Math.min(next, maxPanelSize())), [setSize]);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    drag.current = { startY: event.clientY, startSize: size };
    const target = event.currentTarget;
    target.setPointerCapture?.(event.pointerId);
    const onMove = (e: globalThis.PointerEvent) => {
      if (!drag.current) return;
      const delta = e.clientY - drag.current.startY;
      apply(drag.current.startSize + (dock === 'bottom' ? -delta : delta));
    };
    const onUp = () => {
      drag.current = null;
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onUp);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onUp);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? RESIZE_STEP_LARGE : RESIZE_STEP;
    // the arrow moves the handle: up grows a bottom panel, down grows a top panel
    const grow = dock === 'bottom' ? 'ArrowUp' : 'ArrowDown';
    const shrink = dock === 'bottom' ? 'ArrowDown' : 'ArrowUp';
    let next: number | null = null;
    if (event.key === grow || event.key === 'ArrowRight') next = size + step;
    else if (event.key === shrink || event.key === 'ArrowLeft') next = size - step;
    else if (event.key === 'Home') next = MIN_PANEL_SIZE;
    else if (event.key === 'End') next = max;
    if (next === null) return;
    event.preventDefault();
    apply(next);
  };

  return (
    <div
      className="cs-resize"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize cachescope panel"
      aria-valuenow={size}
      aria-valuemin={MIN_PANEL_SIZE}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      data-testid="cachescope-resize"
    />
  );
}
