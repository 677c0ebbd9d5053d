/**
 * Where Next's dev-tools indicator is on screen (`#devtools-indicator` in the open shadow root of
 * `<nextjs-portal>`), or null when the page has none (production, or hidden by `devIndicators: false`). The
 * user can drag it to another corner, so it is looked at again twice a second and on resize.
 */
import { useEffect, useState } from 'react';
import type { Box, Viewport } from '../store/keep-clear.js';

const LOOK_EVERY_MS = 500;

function findIndicator(): Box | null {
  for (const portal of Array.from(document.querySelectorAll('nextjs-portal'))) {
    const element = portal.shadowRoot?.querySelector('#devtools-indicator');
    if (!element) continue;
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    return { top: Math.round(r.top), left: Math.round(r.left), bottom: Math.round(r.bottom), right: Math.round(r.right) };
  }
  return null;
}

const viewportNow = (): Viewport => ({ width: window.innerWidth, height: window.innerHeight });
const same = (a: Box | null, b: Box | null) =>
  a === b || (a !== null && b !== null && a.top === b.top && a.left === b.left && a.bottom === b.bottom && a.right === b.right);

export function useNextIndicator(enabled: boolean): { indicator: Box | null; viewport: Viewport } {
  const [state, setState] = useState(() => ({ indicator: null as Box | null, viewport: viewportNow() }));
  useEffect(() => {
    if (!enabled) return;
    const look = () =>
      setState((previous) => {
        const indicator = findIndicator();
        const viewport = viewportNow();
        const unchanged =
          same(previous.indicator, indicator) && previous.viewport.width === viewport.width && previous.viewport.height === viewport.height;
        return unchanged ? previous : { indicator, viewport };
      });
    look();
    const timer = setInterval(look, LOOK_EVERY_MS);
    window.addEventListener('resize', look);
    return () => {
      clearInterval(timer);
      window.removeEventListener('resize', look);
    };
  }, [enabled]);
  return state;
}
