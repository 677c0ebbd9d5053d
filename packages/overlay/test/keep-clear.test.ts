// The panel and the toggle never cover Next's dev-tools indicator, wherever the user dragged it.
import { describe, expect, it } from 'vitest';
import { CLEAR_GAP, panelPlacement, togglePlacement, type Box } from '../src/store/keep-clear.js';
import type { Position } from '../src/store/types.js';

const viewport = { width: 1200, height: 800 };
const button = { width: 150, height: 30 };
/** Next's badge (36 px, 20 px from the edges) in each corner. */
const corner: Record<Position, Box> = {
  'bottom-left': { top: 744, bottom: 780, left: 20, right: 56 },
  'bottom-right': { top: 744, bottom: 780, left: 1144, right: 1180 },
  'top-left': { top: 20, bottom: 56, left: 20, right: 56 },
  'top-right': { top: 20, bottom: 56, left: 1144, right: 1180 },
};
const positions = Object.keys(corner) as Position[];
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function boxes(position: Position, indicator: Box, open: boolean, size = 380) {
  const dock = position.startsWith('top') ? 'top' : 'bottom';
  const p = panelPlacement(dock, size, viewport, indicator);
  const panel: Box =
    dock === 'bottom'
      ? { top: viewport.height - p.offset - p.height, bottom: viewport.height - p.offset, left: 0, right: viewport.width }
      : { top: p.offset, bottom: p.offset + p.height, left: 0, right: viewport.width };
  const t = togglePlacement(position, { open, ...p }, button, viewport, indicator);
  const top = t.top ?? viewport.height - t.bottom! - button.height;
  const left = t.left ?? viewport.width - t.right! - button.width;
  return { panel, height: p.height, toggle: { top, bottom: top + button.height, left, right: left + button.width } };
}

describe("keeping clear of Next's indicator", () => {
  for (const position of positions) {
    for (const at of positions) {
      it(`overlay at ${position}, Next's indicator at ${at}: no overlap, open or closed`, () => {
        const indicator = corner[at];
        const open = boxes(position, indicator, true);
        expect(overlaps(open.panel, indicator), 'panel').toBe(false);
        expect(overlaps(open.toggle, indicator), 'toggle (open)').toBe(false);
        expect(overlaps(open.toggle, open.panel), 'toggle over the panel').toBe(false);
        expect(open.height).toBeGreaterThan(300);
        expect(overlaps(boxes(position, indicator, false).toggle, indicator), 'toggle (closed)').toBe(false);
      });
    }
  }

  it('without an indicator nothing moves', () => {
    expect(panelPlacement('bottom', 380, viewport, null)).toEqual({ offset: 0, height: 380 });
    expect(togglePlacement('bottom-right', { open: false, offset: 0, height: 380 }, button, viewport, null)).toEqual({
      bottom: 12,
      right: 12,
    });
  });

  it('lifts a bottom panel just above an indicator on its side', () => {
    expect(panelPlacement('bottom', 380, viewport, corner['bottom-left'])).toEqual({ offset: 800 - 744 + CLEAR_GAP, height: 380 });
  });
});
