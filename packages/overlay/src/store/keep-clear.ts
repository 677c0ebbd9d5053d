/**
 * Where the panel and the toggle go so that they and Next's dev-tools indicator (the round "N" badge, which the
 * user may drag to any corner) never cover each other. Pure geometry: the views measure, this decides.
 */
import type { Position } from './types.js';

export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Viewport {
  width: number;
  height: number;
}

export const CLEAR_GAP = 8;
const TOGGLE_GAP = 12;

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * The docked panel: `offset` from its edge and the `height` it may take. An indicator on the panel's side of
 * the screen lifts the panel past it; one on the far side caps its height.
 */
export function panelPlacement(
  dock: 'top' | 'bottom',
  size: number,
  viewport: Viewport,
  indicator: Box | null,
): { offset: number; height: number } {
  if (!indicator) return { offset: 0, height: size };
  const panel: Box =
    dock === 'bottom'
      ? { top: viewport.height - size, bottom: viewport.height, left: 0, right: viewport.width }
      : { top: 0, bottom: size, left: 0, right: viewport.width };
  if (!overlaps(panel, indicator)) return { offset: 0, height: size };
  const nearSide =
    dock === 'bottom' ? indicator.top + indicator.bottom > viewport.height : indicator.top + indicator.bottom < viewport.height;
  if (nearSide) {
    const offset = dock === 'bottom' ? viewport.height - indicator.top + CLEAR_GAP : indicator.bottom + CLEAR_GAP;
    return { offset, height: Math.max(0, Math.min(size, viewport.height - offset)) };
  }
  const room = dock === 'bottom' ? viewport.height - indicator.bottom - CLEAR_GAP : indicator.top - CLEAR_GAP;
  return { offset: 0, height: Math.max(0, Math.min(size, room)) };
}

/**
 * The toggle button at its corner (just past the open panel), moved sideways past the indicator when they
 * would meet. `button` is the toggle's measured size.
 */
export function togglePlacement(
  position: Position,
  panel: { open: boolean; offset: number; height: number },
  button: { width: number; height: number },
  viewport: Viewport,
  indicator: Box | null,
): { top?: number; bottom?: number; left?: number; right?: number } {
  const [vertical, horizontal] = position.split('-') as ['top' | 'bottom', 'left' | 'right'];
  const fromEdge = panel.open ? panel.offset + panel.height + TOGGLE_GAP : TOGGLE_GAP;
  let side = TOGGLE_GAP;
  if (indicator) {
    const top = vertical === 'top' ? fromEdge : viewport.height - fromEdge - button.height;
    const left = horizontal === 'left' ? side : viewport.width - side - button.width;
    const box = { top, bottom: top + button.height, left, right: left + button.width };
    if (
      overlaps(box, {
        top: indicator.top - CLEAR_GAP,
        bottom: indicator.bottom + CLEAR_GAP,
        left: indicator.left - CLEAR_GAP,
        right: indicator.right + CLEAR_GAP,
      })
    ) {
      side = horizontal === 'left' ? indicator.right + CLEAR_GAP : viewport.width - indicator.left + CLEAR_GAP;
    }
  }
  return { [vertical]: fromEdge, [horizontal]: side };
}
