// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { createOverlayStore } from '../src/store/store.js';
import { makeEvents } from './support/events.js';
import { loadDemoSnapshot } from './support/fixture.js';
import { MemoryStorage } from './support/memory-storage.js';

const ids = (events: readonly { id: number }[]) => events.map((e) => e.id);

describe('store: batches', () => {
  it('applies a batch of 500 events as exactly one store update', () => {
    const store = createOverlayStore();
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.getState().actions.applyBatch(makeEvents(1, 500))).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getState().events).toHaveLength(500);
    expect(store.getState().lastEventId).toBe(500);
  });

  it('ignores replayed events it already holds (no update when nothing is new)', () => {
    const store = createOverlayStore();
    const { applyBatch } = store.getState().actions;
    applyBatch(makeEvents(1, 20));
    const listener = vi.fn();
    store.subscribe(listener);
    expect(applyBatch(makeEvents(1, 20))).toBe(false);
    expect(listener).not.toHaveBeenCalled();
    applyBatch(makeEvents(15, 10)); // 15..24: 5 duplicates, 5 new
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ids(store.getState().events)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('merges events arriving out of order (snapshot after live batches) in id order', () => {
    const store = createOverlayStore();
    const { applyBatch, applySnapshot } = store.getState().actions;
    applyBatch(makeEvents(11, 5));
    applySnapshot({ events: makeEvents(1, 13) });
    expect(ids(store.getState().events)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('bounds memory: holds at most maxEvents, counts what it trimmed, never takes trimmed ids back', () => {
    const store = createOverlayStore({ maxEvents: 100 });
    const { applyBatch } = store.getState().actions;
    for (let first = 1; first <= 250; first += 50) applyBatch(makeEvents(first, 50));
    let state = store.getState();
    expect(state.events).toHaveLength(100);
    expect(state.trimmed).toBe(150);
    expect(state.events[0]!.id).toBe(151);
    expect(state.lastEventId).toBe(250);
    expect(applyBatch(makeEvents(100, 10))).toBe(false); // a late replay of trimmed ids
    state = store.getState();
    expect(state.events[0]!.id).toBe(151);
    expect(state.trimmed).toBe(150);
  });
});

describe('store: pause, reset, offline sessions', () => {
  it('pause holds batches and counts them; resume applies them all in one update', () => {
    const store = createOverlayStore();
    const { applyBatch, setPaused } = store.getState().actions;
    applyBatch(makeEvents(1, 10));
    setPaused(true);
    applyBatch(makeEvents(11, 5));
    applyBatch(makeEvents(16, 5));
    expect(store.getState().events).toHaveLength(10);
    expect(store.getState().pausedBatches).toBe(2);
    expect(store.getState().pausedEvents).toBe(10);
    const listener = vi.fn();
    store.subscribe(listener);
    setPaused(false);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getState().events).toHaveLength(20);
    expect(store.getState().pausedBatches).toBe(0);
  });

  it('an imported session stops live updates until goLive()', () => {
    const store = createOverlayStore();
    const { applyBatch, loadSession, goLive } = store.getState().actions;
    applyBatch(makeEvents(1, 10));
    const snapshot = loadDemoSnapshot();
    loadSession(snapshot, 'session.json');
    expect(store.getState().source).toMatchObject({ kind: 'file', name: 'session.json' });
    expect(store.getState().events).toHaveLength(snapshot.events.length);
    expect(applyBatch(makeEvents(1000, 5))).toBe(false);
    expect(store.getState().events).toHaveLength(snapshot.events.length);
    goLive();
    expect(store.getState().source.kind).toBe('live');
    expect(store.getState().events).toHaveLength(0);
  });

  it('reset forgets data but keeps UI settings', () => {
    const store = createOverlayStore();
    const { applyBatch, setTab, reset } = store.getState().actions;
    applyBatch(makeEvents(1, 10));
    setTab('tags');
    reset();
    expect(store.getState().events).toHaveLength(0);
    expect(store.getState().lastEventId).toBe(0);
    expect(store.getState().tab).toBe('tags');
    expect(applyBatch(makeEvents(1, 3))).toBe(true); // ids may restart after a clear
  });
});

describe('store: analysis', () => {
  it('keeps unchanged findings, tags and revalidations by identity across snapshot refreshes', () => {
    const store = createOverlayStore();
    const snapshot = loadDemoSnapshot();
    store.getState().actions.applySnapshot(snapshot);
    const before = store.getState().analysis;
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.getState().actions.applySnapshot(structuredClone(snapshot))).toBe(false);
    expect(listener).not.toHaveBeenCalled();

    const changed = structuredClone(snapshot);
    changed.findings[0]!.count += 1;
    store.getState().actions.applySnapshot(changed);
    const after = store.getState().analysis;
    expect(after.findings).not.toBe(before.findings);
    expect(after.findings[0]).not.toBe(before.findings[0]);
    expect(after.findings[1]).toBe(before.findings[1]);
    expect(after.tags).toBe(before.tags);
  });

  it('upserts findings pushed live by id', () => {
    const store = createOverlayStore();
    const [a, b] = loadDemoSnapshot().findings;
    store.getState().actions.applyFindings([a!]);
    store.getState().actions.applyFindings([{ ...a!, count: 9 }, b!]);
    expect(store.getState().analysis.findings.map((f) => [f.id, f.count])).toEqual([
      [a!.id, 9],
      [b!.id, b!.count],
    ]);
  });
});

describe('store: UI settings', () => {
  it('persists open, size, position, tab, filters and sort under the cachescope: prefix and restores them', () => {
    const storage = new MemoryStorage();
    const store = createOverlayStore({ storage });
    const a = store.getState().actions;
    a.setOpen(true);
    a.setSize(420);
    a.setPosition('top-left');
    a.setTab('findings');
    a.toggleFacet('decision', 'skip');
    a.setSearch('dashboard');
    a.setSort('tags', 'name');
    expect([...storage.map.keys()].every((k) => k.startsWith('cachescope:'))).toBe(true);
    const again = createOverlayStore({ storage, position: 'bottom-right', initialIsOpen: false }).getState();
    expect(again.open).toBe(true);
    expect(again.size).toBe(420);
    expect(again.position).toBe('top-left');
    expect(again.tab).toBe('findings');
    expect(again.filters).toEqual({ search: 'dashboard', kind: [], decision: ['skip'], route: [], tag: [] });
    expect(again.sort.tags).toBe('name');
  });

  it('falls back to defaults for unreadable stored values', () => {
    const storage = new MemoryStorage();
    storage.setItem('cachescope:tab', '"nope"');
    storage.setItem('cachescope:size', 'not json');
    storage.setItem('cachescope:position', '"middle"');
    const state = createOverlayStore({ storage, position: 'top-right' }).getState();
    expect(state.tab).toBe('requests');
    expect(state.size).toBe(380);
    expect(state.position).toBe('top-right');
  });

  it('highlight switches tab, opens the panel, clears filters and selects the target', () => {
    const store = createOverlayStore();
    const a = store.getState().actions;
    a.toggleFacet('kind', 'fetch');
    a.highlight('requests', '42');
    const s = store.getState();
    expect(s).toMatchObject({ tab: 'requests', open: true, selectedCall: 42 });
    expect(s.filters.kind).toEqual([]);
    expect(s.highlight).toMatchObject({ tab: 'requests', key: '42' });
  });
});
