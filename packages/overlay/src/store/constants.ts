/** Defaults shared by the store, the transport and the views. */
import type { Filters, Position, SortState, TabId } from './types.js';

/** Events held in the browser; older ones are trimmed (and counted). */
export const DEFAULT_MAX_EVENTS = 10_000;
/** Minimum interval between two `/snapshot` refreshes after batches. */
export const SNAPSHOT_REFRESH_MS = 250;
export const STORAGE_PREFIX = 'cachescope:';
/** Group key for events that happened outside any request. */
export const NO_REQUEST = '(no request)';

export const DEFAULT_POSITION: Position = 'bottom-right';
export const DEFAULT_TAB: TabId = 'requests';
export const DEFAULT_PANEL_SIZE = 380;
export const MIN_PANEL_SIZE = 160;
export const MAX_PANEL_SIZE = 2000;
export const RESIZE_STEP = 16;
export const RESIZE_STEP_LARGE = 64;

/** Fixed height of a timeline row, in pixels (the list is virtualised on it). */
export const ROW_HEIGHT = 28;
export const OVERSCAN_ROWS = 4;

export const EMPTY_FILTERS: Filters = { search: '', kind: [], decision: [], route: [], tag: [] };
export const DEFAULT_SORT: SortState = { requests: 'newest', tags: 'status', revalidations: 'newest', findings: 'severity' };

export const TABS: readonly TabId[] = ['requests', 'tags', 'revalidations', 'findings'];
