// cachescope's own problems in the panel: one line per distinct fault with its count, dismissible, back
// when a new kind of fault arrives, and absent when there are none.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { hasUndismissed, problemLines, problemsHeadline } from '../src/store/internal-errors.js';
import type { InternalErrorSummary } from '../src/store/types.js';
import { loadDemoSnapshot } from './support/fixture.js';
import { renderOverlay } from './support/render.js';

const OTLP: InternalErrorSummary = {
  where: 'otel.export',
  message: 'Error: OTLP export to http://127.0.0.1:4599/v1/traces failed: HTTP 500 Internal Server Error',
  count: 3,
};
const HOOK: InternalErrorSummary = { where: 'use-cache.get', message: 'TypeError: entry.tags is not iterable', count: 1 };

afterEach(cleanup);

describe('problemLines', () => {
  it('one line per distinct fault, with its count, without a bare "Error: " prefix', () => {
    const lines = problemLines([OTLP, HOOK]);
    expect(lines.map((l) => l.text)).toEqual([
      'otel.export: OTLP export to http://127.0.0.1:4599/v1/traces failed: HTTP 500 Internal Server Error (×3)',
      'use-cache.get: TypeError: entry.tags is not iterable (×1)',
    ]);
    expect(problemsHeadline(lines)).toBe('cachescope: 2 internal problems');
    expect(problemsHeadline(lines.slice(0, 1))).toBe('cachescope: 1 internal problem');
  });

  it('merges repeats of one fault and skips malformed entries (imported files)', () => {
    const lines = problemLines([
      OTLP,
      { ...OTLP, count: 2 },
      null as never,
      { where: 1, message: 'x', count: 1 } as never,
      { ...HOOK, count: undefined as never },
    ]);
    expect(lines.map((l) => [l.where, l.count])).toEqual([
      ['otel.export', 5],
      ['use-cache.get', 1],
    ]);
    expect(problemLines(undefined)).toEqual([]);
    expect(problemLines([])).toEqual([]);
  });

  it('a dismissal covers the faults it saw; a new fault is undismissed', () => {
    const [otlp, hook] = problemLines([OTLP, HOOK]);
    expect(hasUndismissed([otlp!], [])).toBe(true);
    expect(hasUndismissed([otlp!], [otlp!.key])).toBe(false);
    expect(hasUndismissed([otlp!, hook!], [otlp!.key])).toBe(true);
  });
});

describe('the internal problems banner', () => {
  const snapshot = loadDemoSnapshot();

  it('is absent when there are none', () => {
    expect(snapshot.internalErrors).toEqual([]);
    renderOverlay({ snapshot, initialIsOpen: true });
    expect(screen.getByTestId('cachescope-panel')).toBeTruthy();
    expect(screen.queryByTestId('cachescope-internal-errors')).toBeNull();
  });

  it('shows each fault with its count, follows the snapshot, and stays dismissed until a new fault arrives', () => {
    const { store } = renderOverlay({ snapshot: { ...snapshot, internalErrors: [OTLP] }, initialIsOpen: true });
    const banner = screen.getByTestId('cachescope-internal-errors');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toContain('cachescope: 1 internal problem');
    expect(banner.querySelectorAll('li')).toHaveLength(1);
    expect(banner.querySelector('li')!.textContent).toBe(
      'otel.export: OTLP export to http://127.0.0.1:4599/v1/traces failed: HTTP 500 Internal Server Error (×3)',
    );

    // the count grows on the next snapshot
    act(() => void store.getState().actions.applySnapshot({ internalErrors: [{ ...OTLP, count: 7 }] }));
    expect(screen.getByTestId('cachescope-internal-errors').textContent).toContain('(×7)');

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss internal problems' }));
    expect(screen.queryByTestId('cachescope-internal-errors')).toBeNull();
    // the same fault happening again does not bring it back; closing and reopening the panel neither
    act(() => void store.getState().actions.applySnapshot({ internalErrors: [{ ...OTLP, count: 9 }] }));
    act(() => store.getState().actions.setOpen(false));
    act(() => store.getState().actions.setOpen(true));
    expect(screen.queryByTestId('cachescope-internal-errors')).toBeNull();

    // a different fault does, listing both
    act(() => void store.getState().actions.applySnapshot({ internalErrors: [{ ...OTLP, count: 9 }, HOOK] }));
    const again = screen.getByTestId('cachescope-internal-errors');
    expect(again.textContent).toContain('cachescope: 2 internal problems');
    expect([...again.querySelectorAll('li')].map((li) => li.getAttribute('data-where'))).toEqual(['otel.export', 'use-cache.get']);
  });

  it('goes away when the server clears them', () => {
    const { store } = renderOverlay({ snapshot: { ...snapshot, internalErrors: [HOOK] }, initialIsOpen: true });
    expect(screen.getByTestId('cachescope-internal-errors')).toBeTruthy();
    act(() => store.getState().actions.reset());
    expect(screen.queryByTestId('cachescope-internal-errors')).toBeNull();
  });

  it('many faults: the first five and a count of the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ where: `hook-${i}`, message: `Error: broke ${i}`, count: i + 1 }));
    renderOverlay({ snapshot: { ...snapshot, internalErrors: many }, initialIsOpen: true });
    const items = [...screen.getByTestId('cachescope-internal-errors').querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      'hook-0: broke 0 (×1)',
      'hook-1: broke 1 (×2)',
      'hook-2: broke 2 (×3)',
      'hook-3: broke 3 (×4)',
      'hook-4: broke 4 (×5)',
      '… and 3 more',
    ]);
  });
});
