// Component tests (happy-dom + Testing Library) on the real snapshot captured from apps/demo.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { derivedFor } from '../src/store/derived.js';
import { makeEvents } from './support/events.js';
import { loadDemoSnapshot } from './support/fixture.js';
import { MemoryStorage } from './support/memory-storage.js';
import { renderOverlay } from './support/render.js';

const snapshot = loadDemoSnapshot();
const openFindings = snapshot.findings.filter((f) => f.severity !== 'info').length;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function openTab(name: string) {
  fireEvent.click(screen.getByRole('tab', { name }));
  return screen.getByRole('tabpanel');
}

describe('floating button and panel', () => {
  it('shows open findings and calls in the last request, and toggles the panel', () => {
    renderOverlay({ snapshot });
    const button = screen.getByRole('button', { name: 'Open cachescope' });
    expect(within(button).getByTestId('cachescope-findings-count').textContent).toBe(String(openFindings));
    expect(within(button).getByTestId('cachescope-last-request-calls').textContent).toBe('0'); // GET / makes no cache call
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('tablist')).toBeNull();
    fireEvent.click(button);
    expect(screen.getByRole('button', { name: 'Close cachescope' }).getAttribute('aria-expanded')).toBe('true');
    const tabs = screen.getAllByRole('tab').map((t) => t.getAttribute('aria-label'));
    expect(tabs).toEqual(['Requests', 'Tags', 'Revalidations', 'Findings']);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('cachescope-tab-requests');
  });

  it('Alt+Shift+C toggles the panel, Escape closes it', () => {
    renderOverlay({ snapshot });
    fireEvent.keyDown(window, { key: 'Ç', code: 'KeyC', altKey: true, shiftKey: true });
    expect(screen.getByRole('tablist')).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tablist'), { key: 'Escape' });
    expect(screen.queryByRole('tablist')).toBeNull();
    fireEvent.keyDown(window, { key: 'C', code: 'KeyC', altKey: true, shiftKey: true });
    expect(screen.getByRole('tablist')).toBeTruthy();
  });

  it('resizes with the arrow keys on the handle and persists size, tab and open state', () => {
    const storage = new MemoryStorage();
    const { store } = renderOverlay({ snapshot, storage, initialIsOpen: true });
    const handle = screen.getByRole('separator', { name: 'Resize cachescope panel' });
    const before = store.getState().size;
    fireEvent.keyDown(handle, { key: 'ArrowUp' });
    fireEvent.keyDown(handle, { key: 'ArrowUp', shiftKey: true });
    expect(store.getState().size).toBe(before + 16 + 64);
    expect(handle.getAttribute('aria-valuenow')).toBe(String(before + 80));
    fireEvent.keyDown(handle, { key: 'ArrowDown' });
    expect(store.getState().size).toBe(before + 64);
    openTab('Tags');
    expect(storage.getItem('cachescope:size')).toBe(String(before + 64));
    expect(storage.getItem('cachescope:tab')).toBe('"tags"');
    fireEvent.click(screen.getByRole('button', { name: 'Close cachescope' }));
    expect(storage.getItem('cachescope:open')).toBe('false');
  });

  it('arrow keys move between tabs; Escape in the search field does not close the panel', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    const requests = screen.getByRole('tab', { name: 'Requests' });
    fireEvent.keyDown(requests, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Tags' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Tags' }), { key: 'End' });
    expect(screen.getByRole('tab', { name: 'Findings' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Escape' });
    expect(screen.getByRole('tablist')).toBeTruthy();
  });

  it('moves the button to another corner and remembers it', () => {
    const storage = new MemoryStorage();
    const { container } = renderOverlay({ snapshot, storage, initialIsOpen: true });
    fireEvent.change(screen.getByRole('combobox', { name: 'Button position' }), { target: { value: 'top-left' } });
    expect(container.querySelector<HTMLElement>('.cs-root')!.dataset.position).toBe('top-left');
    expect(screen.getByTestId('cachescope-panel').dataset.dock).toBe('top');
    expect(storage.getItem('cachescope:position')).toBe('"top-left"');
  });

  it('resizes by mouse drag', () => {
    const { store } = renderOverlay({ snapshot, initialIsOpen: true });
    const handle = screen.getByTestId('cachescope-resize');
    const before = store.getState().size;
    fireEvent.pointerDown(handle, { button: 0, clientY: 500, pointerId: 1 });
    fireEvent.pointerMove(window, { clientY: 450, pointerId: 1 });
    fireEvent.pointerUp(window, { pointerId: 1 });
    expect(store.getState().size).toBe(before + 50);
  });

  it('every button, input and select has an accessible name', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    for (const tab of ['Requests', 'Tags', 'Revalidations', 'Findings']) {
      openTab(tab);
      for (const el of document.querySelectorAll('button, input, select, [role="separator"]')) {
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim();
        expect(name, el.outerHTML.slice(0, 120)).toBeTruthy();
      }
    }
  });
});

describe('views on the demo snapshot', () => {
  it('Findings: the orphaned tag with its dynamic reason and the fix; copy as Markdown', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderOverlay({ snapshot, initialIsOpen: true });
    const panel = openTab('Findings');
    const orphan = within(panel)
      .getAllByTestId('cachescope-finding')
      .find((el) => el.dataset.kind === 'orphaned-tag')!;
    const reason = snapshot.findings.find((f) => f.kind === 'orphaned-tag')!;
    expect(within(orphan).getByTestId('cachescope-dynamic-reason').textContent).toContain(
      (reason as { dynamicReason: string }).dynamicReason,
    );
    expect(orphan.textContent).toContain('Fix — Pattern 1');
    fireEvent.click(within(orphan).getByRole('button', { name: 'Copy as Markdown' }));
    await waitFor(() => expect(within(orphan).getByRole('status').textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText.mock.calls[0]![0]).toContain('### Orphaned tag — `dashboard-data`');
  });

  it('Findings: an evidence link switches to the Requests view and highlights the call', () => {
    const { store } = renderOverlay({ snapshot, initialIsOpen: true });
    const panel = openTab('Findings');
    const orphan = within(panel)
      .getAllByTestId('cachescope-finding')
      .find((el) => el.dataset.kind === 'orphaned-tag')!;
    fireEvent.click(within(orphan).getAllByRole('button', { name: /fetch POST/ })[0]!);
    expect(screen.getByRole('tab', { name: 'Requests' }).getAttribute('aria-selected')).toBe('true');
    const id = store.getState().selectedCall;
    const row = document.querySelector(`[data-event-id="${id}"]`)!;
    expect(row.className).toContain('cs-highlight');
    expect(screen.getByTestId('cachescope-call-detail').textContent).toContain('Why dropped');
  });

  it('Findings: a no-op finding links to its revalidation, highlighted', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    const panel = openTab('Findings');
    const noop = within(panel)
      .getAllByTestId('cachescope-finding')
      .find((el) => el.dataset.findingId === 'noop-revalidation:revalidateTag:dashboard-data')!;
    fireEvent.click(within(noop).getAllByRole('button', { name: /revalidateTag\("dashboard-data", "max"\)/ })[0]!);
    expect(screen.getByRole('tab', { name: 'Revalidations' }).getAttribute('aria-selected')).toBe('true');
    const card = screen.getAllByTestId('cachescope-revalidation').find((c) => c.className.includes('cs-highlight'))!;
    expect(within(card).getByText('NO-OP')).toBeTruthy();
  });

  it('sorts revalidations with the fewest matches first', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    openTab('Revalidations');
    fireEvent.change(screen.getByRole('combobox', { name: 'Sort' }), { target: { value: 'matched' } });
    const first = screen.getAllByTestId('cachescope-revalidation')[0]!;
    expect(first.dataset.noop).toBe('true');
  });

  it('Revalidations: a zero-match revalidation shows NO-OP', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    const panel = openTab('Revalidations');
    const cards = within(panel).getAllByTestId('cachescope-revalidation');
    const broken = cards.find((c) => c.textContent!.includes('revalidateTag("dashboard-data", "max")'))!;
    expect(within(broken).getByText('NO-OP')).toBeTruthy();
    const everyone = cards.find((c) => c.textContent!.includes('revalidateTag("p1:dashboard-data", "max")'))!;
    expect(within(everyone).queryByText('NO-OP')).toBeNull();
    expect(everyone.textContent).toContain('2 matched entries');
  });

  it("Revalidations: a revalidation's notes (what Next did beyond its matches) show on its card", () => {
    const note = 'updateTag("p2:dashboard-data") also made Next re-render the current route (/pattern-2) in the action\'s response';
    const noted = { ...snapshot, revalidations: snapshot.revalidations.map((r, i) => (i === 0 ? { ...r, notes: [note] } : r)) };
    renderOverlay({ snapshot: noted, initialIsOpen: true });
    const panel = openTab('Revalidations');
    const notes = within(panel).getAllByTestId('cachescope-revalidation-note');
    expect(notes.map((n) => n.textContent)).toEqual([note]);
  });

  it('Tags: dashboard-data is ORPHANED; clicking a tag shows its entries and calls', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    const panel = openTab('Tags');
    const row = within(panel)
      .getAllByTestId('cachescope-tag-row')
      .find((r) => r.dataset.tag === 'dashboard-data')!;
    expect(within(row).getByText('ORPHANED')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Show tag p1:dashboard-data' }));
    const detail = screen.getByTestId('cachescope-tag-detail');
    expect(detail.textContent).toContain('Live entries (2)');
    expect(detail.textContent).toMatch(/Declared by \(\d+ calls held\)/);
  });

  it('Requests: decision badges with reasons, dropped tags struck through with why, dynamic reads', () => {
    renderOverlay({ snapshot, initialIsOpen: true });
    fireEvent.click(screen.getByRole('button', { name: /^Decision SKIP/ }));
    fireEvent.click(screen.getByRole('button', { name: /^Route \/broken:/ }));
    const rows = screen.getAllByTestId('cachescope-call-row');
    expect(rows.length).toBeGreaterThan(0);
    const row = rows.find((r) => r.textContent!.includes('pattern=broken'))!;
    expect(within(row).getByText('SKIP')).toBeTruthy();
    expect(row.textContent).toContain('forwarded the Cookie header');
    const dropped = row.querySelector('s[data-dropped]')!;
    expect(dropped.textContent).toContain('dashboard-data');
    expect(dropped.getAttribute('title')).toContain('dropped: the fetch was not cached');
    expect(screen.getAllByTestId('cachescope-dynamic-row')[0]!.textContent).toContain('cookies()');
  });

  it('facet filters show counts and narrow the list', () => {
    const { store } = renderOverlay({ snapshot, initialIsOpen: true });
    const calls = snapshot.events.filter((e) => ['fetch', 'unstable-cache', 'use-cache', 'revalidate-call'].includes(e.type));
    const fetches = calls.filter((e) => e.type === 'fetch').length;
    const chip = screen.getByRole('button', { name: `Kind fetch: ${fetches}` });
    expect(screen.getAllByTestId('cachescope-call-row').length).toBeLessThanOrEqual(calls.length);
    fireEvent.click(chip);
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    expect(store.getState().filters.kind).toEqual(['fetch']);
    const shown = derivedFor(store)
      .timeline(store.getState())
      .filter((r) => r.type === 'call');
    expect(shown).toHaveLength(fetches);
    const rendered = screen.getAllByTestId('cachescope-call-row');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.every((r) => r.textContent!.startsWith('fetch'))).toBe(true);
    fireEvent.change(screen.getByRole('searchbox', { name: /Search/ }), { target: { value: 'no such call' } });
    expect(screen.queryAllByTestId('cachescope-call-row')).toHaveLength(0);
    expect(screen.getByText('No call matches the filters.')).toBeTruthy();
  });

  it('the Requests list is virtualised: 10,000 events, only visible rows in the DOM', () => {
    const { store } = renderOverlay({ initialIsOpen: true });
    act(() => {
      store.getState().actions.applyBatch(makeEvents(1, 10_000));
    });
    const list = screen.getByTestId('cachescope-virtual-list');
    // the rendered rows tell assistive tech the list's full size
    expect(Number(list.querySelector('[role="listitem"]')!.getAttribute('aria-setsize'))).toBeGreaterThan(5000);
    expect(list.querySelectorAll('[role="listitem"]').length).toBeLessThan(60);
  });
});

describe('toolbar', () => {
  it('pause stops applying batches and counts them; resume applies them', () => {
    const { store } = renderOverlay({ initialIsOpen: true });
    act(() => {
      store.getState().actions.applyBatch(makeEvents(1, 10));
    });
    fireEvent.click(screen.getByRole('button', { name: 'Pause live updates' }));
    act(() => {
      store.getState().actions.applyBatch(makeEvents(11, 10));
      store.getState().actions.applyBatch(makeEvents(21, 5));
    });
    expect(screen.getByTestId('cachescope-paused-banner').textContent).toContain('Paused: 2 batches (15 events) waiting.');
    expect(store.getState().events).toHaveLength(10);
    fireEvent.click(screen.getByRole('button', { name: 'Resume live updates' }));
    expect(store.getState().events).toHaveLength(25);
    expect(screen.queryByTestId('cachescope-paused-banner')).toBeNull();
  });

  it('clear asks the server to clear and empties the view', async () => {
    const { store, clearServer } = renderOverlay({ snapshot, initialIsOpen: true });
    fireEvent.click(screen.getByRole('button', { name: 'Clear session (also clears the server)' }));
    await waitFor(() => expect(clearServer).toHaveBeenCalledTimes(1));
    expect(store.getState().events).toHaveLength(0);
  });

  it('exports the session as a JSON download', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:cachescope';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderOverlay({ snapshot, initialIsOpen: true });
    fireEvent.click(screen.getByRole('button', { name: 'Export session as JSON' }));
    expect(click).toHaveBeenCalledTimes(1);
    const file = JSON.parse(await blobs[0]!.text());
    expect(file.cachescope).toBe('session');
    expect(file.snapshot.events).toHaveLength(snapshot.events.length);
    expect(file.snapshot.findings).toHaveLength(snapshot.findings.length);
  });

  it('imports a JSON file for offline viewing: banner, live batches ignored, back to live', async () => {
    const { store } = renderOverlay({ initialIsOpen: true });
    const input = screen.getByTestId('cachescope-import-input') as HTMLInputElement;
    const file = new File([JSON.stringify(snapshot)], 'demo.json', { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(screen.getByTestId('cachescope-offline-banner').textContent).toContain('demo.json'));
    expect(store.getState().events).toHaveLength(snapshot.events.length);
    act(() => {
      store.getState().actions.applyBatch(makeEvents(100_000, 3));
    });
    expect(store.getState().events).toHaveLength(snapshot.events.length);
    openTab('Revalidations');
    expect(screen.getAllByText('NO-OP').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Back to live' }));
    expect(store.getState().source.kind).toBe('live');
  });

  it('reports a file that is not a session', async () => {
    renderOverlay({ initialIsOpen: true });
    const input = screen.getByTestId('cachescope-import-input') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['{"x":1}'], 'bad.json')] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Could not import bad.json'));
  });
});
