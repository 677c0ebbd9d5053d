/**
 * The overlay's state: a zustand vanilla store (no React here). The transport feeds it; views select slices.
 *
 * Data: the events held (bounded, deduplicated by id), the server's analysis (tags, revalidations, findings),
 * connection state, pause and the data source (live or an imported file). UI: open state, tab, panel size,
 * button position, filters, sort, selection and highlight; the persisted part is written to localStorage.
 *
 * Every data action makes at most one `setState`, so a batch of events is one store update.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { EMPTY_ANALYSIS, mergeAnalysis, upsertFindings } from './analysis-merge.js';
import { DEFAULT_MAX_EVENTS, DEFAULT_PANEL_SIZE, DEFAULT_POSITION, DEFAULT_SORT, DEFAULT_TAB, EMPTY_FILTERS } from './constants.js';
import { EventLog } from './event-log.js';
import { clampSize, pickPersisted, readPersisted, writePersisted, type KeyValueStorage, type PersistedUi } from './persist.js';
import type {
  Analysis,
  CacheScopeEvent,
  ConnectionState,
  DataSource,
  FacetName,
  Finding,
  Highlight,
  Position,
  Snapshot,
  SortState,
  StreamGap,
  TabId,
} from './types.js';

export interface OverlayData {
  /** Held events, oldest first, at most `maxEvents`. */
  events: readonly CacheScopeEvent[];
  /** Highest event id held (0 when none). */
  lastEventId: number;
  /** Events trimmed in the browser because more than `maxEvents` were held. */
  trimmed: number;
  /** Events the server said this client will never receive (`gap` messages). */
  missed: number;
  /** Events the server's own bounded buffer overwrote (from the snapshot). */
  serverDropped: number;
  analysis: Analysis;
  connection: ConnectionState;
  source: DataSource;
  paused: boolean;
  /** While paused: batches (and their events) received but not applied yet. */
  pausedBatches: number;
  pausedEvents: number;
}

/** The UI state: what persists across reloads (panel height in pixels as `size`), plus selections. */
export interface OverlayUi extends PersistedUi {
  selectedCall: number | null;
  selectedTag: string | null;
  highlight: Highlight | null;
  /** Internal problems (`where` + message keys) the user dismissed; a new one shows the banner again. */
  dismissedProblems: readonly string[];
}

export interface OverlayActions {
  /** Apply live events (one store update). False when nothing changed or the store is not live. */
  applyBatch(events: readonly CacheScopeEvent[]): boolean;
  /** Merge a `/snapshot`: its events (deduplicated) and its analysis. */
  applySnapshot(snapshot: Partial<Snapshot>): boolean;
  /** Findings pushed live by the stream. */
  applyFindings(findings: readonly Finding[]): boolean;
  noteGap(gap: StreamGap): void;
  /** Forget all data (server cleared or restarted); UI settings stay. */
  reset(): void;
  setConnection(patch: Partial<ConnectionState>): void;
  setPaused(paused: boolean): void;
  /** Show an imported session: live updates stop until `goLive`. */
  loadSession(snapshot: Partial<Snapshot>, name: string): void;
  goLive(): void;
  setOpen(open: boolean): void;
  toggleOpen(): void;
  setTab(tab: TabId): void;
  setSize(size: number): void;
  setPosition(position: Position): void;
  setSearch(search: string): void;
  toggleFacet(facet: FacetName, value: string): void;
  clearFilters(): void;
  setSort<K extends keyof SortState>(view: K, value: SortState[K]): void;
  selectCall(id: number | null): void;
  selectTag(tag: string | null): void;
  /** Switch to `tab` and point at `key` (event id, tag, revalidation id or finding id); clears filters. */
  highlight(tab: TabId, key: string): void;
  dismissProblems(keys: readonly string[]): void;
}

export type OverlayState = OverlayData & OverlayUi & { actions: OverlayActions };
export type OverlayStore = StoreApi<OverlayState>;

export interface OverlayStoreOptions {
  /** Events held before the oldest are trimmed. Default 10,000. */
  maxEvents?: number;
  initialIsOpen?: boolean;
  position?: Position;
  /** Where UI settings persist (`localStorage` in the browser). None by default. */
  storage?: KeyValueStorage | null;
}

export function createOverlayStore(options: OverlayStoreOptions = {}): OverlayStore {
  const log = new EventLog(options.maxEvents ?? DEFAULT_MAX_EVENTS);
  const storage = options.storage ?? null;
  const persisted = readPersisted(storage);
  let queued: CacheScopeEvent[][] = [];
  let queuedSnapshot: Partial<Snapshot> | null = null;
  let queuedFindings: Finding[] = [];
  let highlightSeq = 0;

  const emptyData = (): Omit<OverlayData, 'connection' | 'source' | 'paused'> => ({
    events: [],
    lastEventId: 0,
    trimmed: 0,
    missed: 0,
    serverDropped: 0,
    analysis: EMPTY_ANALYSIS,
    pausedBatches: 0,
    pausedEvents: 0,
  });

  const store = createStore<OverlayState>()((set, get) => {
    const live = () => get().source.kind === 'live';
    const logSlice = () => ({ events: log.events, lastEventId: log.lastId, trimmed: log.trimmed });
    const dropQueue = () => {
      queued = [];
      queuedSnapshot = null;
      queuedFindings = [];
    };

    const actions: OverlayActions = {
      applyBatch(events) {
        if (!live() || events.length === 0) return false;
        const state = get();
        if (state.paused) {
          queued.push([...events]);
          set({ pausedBatches: state.pausedBatches + 1, pausedEvents: state.pausedEvents + events.length });
          return false;
        }
        if (log.add(events) === 0) return false;
        set(logSlice());
        return true;
      },

      applySnapshot(snapshot) {
        if (!live()) return false;
        const state = get();
        if (state.paused) {
          queuedSnapshot = snapshot;
          return false;
        }
        const added = Array.isArray(snapshot.events) ? log.add(snapshot.events) : 0;
        const analysis = mergeAnalysis(state.analysis, snapshot);
        const serverDropped = typeof snapshot.dropped === 'number' ? snapshot.dropped : state.serverDropped;
        if (added === 0 && analysis === state.analysis && serverDropped === state.serverDropped) return false;
        set({ ...(added > 0 ? logSlice() : {}), analysis, serverDropped });
        return true;
      },

      applyFindings(findings) {
        if (!live()) return false;
        const state = get();
        if (state.paused) {
          queuedFindings.push(...findings);
          return false;
        }
        const next = upsertFindings(state.analysis.findings, findings);
        if (next === state.analysis.findings) return false;
        set({ analysis: { ...state.analysis, findings: next } });
        return true;
      },

      noteGap(gap) {
        if (!live() || !(gap.missed > 0)) return;
        set({ missed: get().missed + gap.missed });
      },

      reset() {
        log.reset();
        dropQueue();
        set({ ...emptyData(), selectedCall: null, selectedTag: null, highlight: null });
      },

      setConnection(patch) {
        const connection = get().connection;
        const changed = (Object.keys(patch) as (keyof ConnectionState)[]).some((k) => patch[k] !== connection[k]);
        if (changed) set({ connection: { ...connection, ...patch } });
      },

      setPaused(paused) {
        const state = get();
        if (state.paused === paused) return;
        if (paused) {
          set({ paused: true, pausedBatches: 0, pausedEvents: 0 });
          return;
        }
        const events = queued.flat();
        const snapshot = queuedSnapshot;
        const findings = queuedFindings;
        dropQueue();
        const added = events.length > 0 ? log.add(events) : 0;
        let analysis = snapshot ? mergeAnalysis(state.analysis, snapshot) : state.analysis;
        if (snapshot && Array.isArray(snapshot.events)) log.add(snapshot.events);
        if (findings.length > 0) {
          const merged = upsertFindings(analysis.findings, findings);
          if (merged !== analysis.findings) analysis = { ...analysis, findings: merged };
        }
        set({
          paused: false,
          pausedBatches: 0,
          pausedEvents: 0,
          analysis,
          ...(added > 0 || snapshot ? logSlice() : {}),
          ...(snapshot && typeof snapshot.dropped === 'number' ? { serverDropped: snapshot.dropped } : {}),
        });
      },

      loadSession(snapshot, name) {
        log.reset();
        dropQueue();
        if (Array.isArray(snapshot.events)) log.add(snapshot.events);
        set({
          ...emptyData(),
          ...logSlice(),
          analysis: mergeAnalysis(EMPTY_ANALYSIS, snapshot),
          serverDropped: typeof snapshot.dropped === 'number' ? snapshot.dropped : 0,
          source: { kind: 'file', name, loadedAt: Date.now() },
          paused: false,
          selectedCall: null,
          selectedTag: null,
          highlight: null,
        });
      },

      goLive() {
        if (live()) return;
        log.reset();
        dropQueue();
        set({ ...emptyData(), source: { kind: 'live' }, selectedCall: null, selectedTag: null, highlight: null });
      },

      setOpen: (open) => set({ open }),
      toggleOpen: () => set({ open: !get().open }),
      setTab: (tab) => set({ tab }),
      setSize: (size) => set({ size: clampSize(size) }),
      setPosition: (position) => set({ position }),
      setSearch: (search) => set({ filters: { ...get().filters, search } }),
      toggleFacet(facet, value) {
        const filters = get().filters;
        const current: readonly string[] = filters[facet];
        const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
        set({ filters: { ...filters, [facet]: next } });
      },
      clearFilters: () => set({ filters: EMPTY_FILTERS }),
      setSort: (view, value) => set({ sort: { ...get().sort, [view]: value } }),
      selectCall: (selectedCall) => set({ selectedCall }),
      selectTag: (selectedTag) => set({ selectedTag }),
      dismissProblems: (keys) => set({ dismissedProblems: [...new Set([...get().dismissedProblems, ...keys])] }),
      highlight(tab, key) {
        highlightSeq++;
        set({
          tab,
          open: true,
          filters: EMPTY_FILTERS,
          highlight: { tab, key, seq: highlightSeq },
          ...(tab === 'requests' ? { selectedCall: Number(key) } : {}),
          ...(tab === 'tags' ? { selectedTag: key } : {}),
        });
      },
    };

    return {
      ...emptyData(),
      connection: { status: 'idle', role: 'solo', attempts: 0 },
      source: { kind: 'live' },
      paused: false,
      open: persisted.open ?? options.initialIsOpen ?? false,
      tab: persisted.tab ?? DEFAULT_TAB,
      size: persisted.size ?? DEFAULT_PANEL_SIZE,
      position: persisted.position ?? options.position ?? DEFAULT_POSITION,
      filters: persisted.filters ?? EMPTY_FILTERS,
      sort: persisted.sort ?? DEFAULT_SORT,
      selectedCall: null,
      selectedTag: null,
      highlight: null,
      dismissedProblems: [],
      actions,
    };
  });

  if (storage) {
    store.subscribe((state, prev) => writePersisted(storage, pickPersisted(state), pickPersisted(prev)));
  }
  return store;
}
