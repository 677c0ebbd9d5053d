/**
 * UI settings kept in localStorage under the `cachescope:` prefix: open state, panel size, button position,
 * tab, filters and sort. Reads are validated (a hand-edited or older value falls back to the default);
 * storage that throws (private mode, quota, SSR) is ignored.
 */
import { DEFAULT_SORT, EMPTY_FILTERS, MAX_PANEL_SIZE, MIN_PANEL_SIZE, STORAGE_PREFIX, TABS } from './constants.js';
import type { Filters, Position, SortState, TabId } from './types.js';

export interface PersistedUi {
  open: boolean;
  tab: TabId;
  size: number;
  position: Position;
  filters: Filters;
  sort: SortState;
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEYS: readonly (keyof PersistedUi)[] = ['open', 'tab', 'size', 'position', 'filters', 'sort'];
const POSITIONS: readonly Position[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];
const SORT_VALUES: { [K in keyof SortState]: readonly SortState[K][] } = {
  requests: ['newest', 'oldest', 'slowest'],
  tags: ['status', 'name', 'entries'],
  revalidations: ['newest', 'oldest', 'matched'],
  findings: ['severity', 'newest'],
};

export function storageKey(key: keyof PersistedUi): string {
  return `${STORAGE_PREFIX}${key}`;
}

/** `localStorage` when it exists and works, else null. */
export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const validators: { [K in keyof PersistedUi]: (value: unknown) => PersistedUi[K] | undefined } = {
  open: (v) => (typeof v === 'boolean' ? v : undefined),
  tab: (v) => (TABS.includes(v as TabId) ? (v as TabId) : undefined),
  size: (v) => (typeof v === 'number' && Number.isFinite(v) ? clampSize(v) : undefined),
  position: (v) => (POSITIONS.includes(v as Position) ? (v as Position) : undefined),
  filters: (v) => {
    if (typeof v !== 'object' || v === null) return undefined;
    const f = v as Record<string, unknown>;
    return {
      search: typeof f.search === 'string' ? f.search : EMPTY_FILTERS.search,
      kind: strings(f.kind) as Filters['kind'],
      decision: strings(f.decision) as Filters['decision'],
      route: strings(f.route),
      tag: strings(f.tag),
    };
  },
  sort: (v) => {
    if (typeof v !== 'object' || v === null) return undefined;
    const s = v as Record<string, unknown>;
    const pick = <K extends keyof SortState>(k: K): SortState[K] =>
      SORT_VALUES[k].includes(s[k] as SortState[K]) ? (s[k] as SortState[K]) : DEFAULT_SORT[k];
    return { requests: pick('requests'), tags: pick('tags'), revalidations: pick('revalidations'), findings: pick('findings') };
  },
};

export function clampSize(size: number, max = MAX_PANEL_SIZE): number {
  return Math.round(Math.min(Math.max(size, MIN_PANEL_SIZE), Math.max(MIN_PANEL_SIZE, max)));
}

/** The persisted settings that are present and valid. */
export function readPersisted(storage: KeyValueStorage | null): Partial<PersistedUi> {
  const out: Partial<PersistedUi> = {};
  if (!storage) return out;
  for (const key of KEYS) {
    try {
      const raw = storage.getItem(storageKey(key));
      if (raw === null) continue;
      const value = validators[key](JSON.parse(raw));
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    } catch {
      /* unreadable value: keep the default */
    }
  }
  return out;
}

/** Writes the settings that differ from `prev`. */
export function writePersisted(storage: KeyValueStorage | null, next: PersistedUi, prev?: PersistedUi): void {
  if (!storage) return;
  for (const key of KEYS) {
    if (prev && prev[key] === next[key]) continue;
    try {
      storage.setItem(storageKey(key), JSON.stringify(next[key]));
    } catch {
      /* quota or disabled storage: settings just do not persist */
    }
  }
}

export function pickPersisted(state: PersistedUi): PersistedUi {
  return {
    open: state.open,
    tab: state.tab,
    size: state.size,
    position: state.position,
    filters: state.filters,
    sort: state.sort,
  };
}
