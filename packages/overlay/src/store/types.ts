/**
 * Every type the overlay uses, in one place: the instrument's event model (types only, never its runtime)
 * and the overlay's own state, view and transport shapes; the stream's messages come from its protocol.
 */
import type {
  AppIdentity,
  CallDecision,
  DynamicApiEvent,
  EntrySummary,
  FetchEvent,
  Finding,
  InternalErrorSummary,
  Revalidation,
  RevalidateCallEvent,
  RequestKind,
  Snapshot,
  TagSummary,
  UnstableCacheEvent,
  UseCacheEvent,
} from '@cachescope/instrument/types';
import type { StreamStatus } from '@cachescope/instrument/protocol';

export type { StreamGap, StreamHello } from '@cachescope/instrument/protocol';
export type {
  AppIdentity,
  AppStreamHint,
  CacheScopeEvent,
  ClusterStatus,
  CallDecision,
  DynamicApiEvent,
  EntrySummary,
  FetchEvent,
  Finding,
  FindingKind,
  FixPattern,
  InternalErrorSummary,
  MatchedEntry,
  OrphanedTagFinding,
  Revalidation,
  RevalidateCallEvent,
  RequestKind,
  Severity,
  Snapshot,
  SourceSite,
  CallSiteFields,
  TagHistoryItem,
  TagSummary,
  UnstableCacheEvent,
  UseCacheEvent,
} from '@cachescope/instrument/types';

// ───────────────────────────── props / settings ─────────────────────────────

export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
export type Theme = 'light' | 'dark' | 'system';
/** In the page (`overlay`) or filling a window of its own (`window`, "Open in a window"). */
export type OverlayLayout = 'overlay' | 'window';
export type TabId = 'requests' | 'tags' | 'revalidations' | 'findings';

// ───────────────────────────── calls and requests ─────────────────────────────

/** An event the timeline shows as a call. */
export type CallEvent = FetchEvent | UnstableCacheEvent | UseCacheEvent | RevalidateCallEvent;
/** What kind of call it was, as the user thinks of it. */
export type CallKind = 'fetch' | 'unstable_cache' | 'use cache' | 'revalidation';

/** All events of one request (or of no request: disk seed, internal errors). */
export interface RequestGroup {
  /** `requestId`, or `NO_REQUEST` for events outside a request. */
  requestId: string;
  route?: string;
  kind: RequestKind;
  firstTs: number;
  lastTs: number;
  /** Id of the first event of the group (groups are ordered by it). */
  firstId: number;
  calls: CallEvent[];
  dynamicReads: DynamicApiEvent[];
  /** Cache handler I/O, commits and other events that are not shown as calls. */
  otherEvents: number;
  /** Cluster mode: the instance the request ran on. */
  instance?: string;
}

// ───────────────────────────── filters and sort ─────────────────────────────

export type FacetName = 'kind' | 'decision' | 'route' | 'tag';

export interface Filters {
  search: string;
  kind: CallKind[];
  decision: CallDecision[];
  route: string[];
  tag: string[];
}

export interface FacetOption {
  value: string;
  count: number;
  selected: boolean;
}

export type FacetCounts = Record<FacetName, FacetOption[]>;

export interface SortState {
  requests: 'newest' | 'oldest' | 'slowest';
  tags: 'status' | 'name' | 'entries';
  revalidations: 'newest' | 'oldest' | 'matched';
  findings: 'severity' | 'newest';
}

// ───────────────────────────── rows the views render ─────────────────────────────

export type TimelineRow =
  | { type: 'request'; key: string; group: RequestGroup; shownCalls: number }
  | { type: 'call'; key: string; group: RequestGroup; call: CallEvent }
  | { type: 'dynamic'; key: string; group: RequestGroup };

export type TagStatus = 'ok' | 'orphaned' | 'never-revalidated';

export interface TagRow {
  tag: string;
  /** The form the app wrote, when Next stores the tag percent-encoded (non-ASCII tags, Next 16.5). */
  written?: string;
  implicit: boolean;
  status: TagStatus;
  liveEntries: number;
  /** Distinct user scopes among the live entries; null when entries exist but none says its scope. */
  scopes: number | null;
  lastRevalidation?: { ts: number; api: string; matched: number; id: number };
  /** Why the tag is orphaned (from the finding), when it is. */
  orphanReason?: string;
}

export interface TagDetail {
  row: TagRow;
  entries: EntrySummary[];
  declaredBy: CallEvent[];
  revalidatedBy: Revalidation[];
}

// ───────────────────────────── analysis and session ─────────────────────────────

/** What the server's analysis says (from `/snapshot`), held as-is. */
export interface Analysis {
  tags: TagSummary[];
  revalidations: Revalidation[];
  findings: Finding[];
  index?: { liveEntries: number; evicted: number };
  internalErrors?: InternalErrorSummary[];
  generatedAt?: number;
}

/** The JSON file "Export session" writes and "Import" reads (a bare `/snapshot` body is accepted too). */
export interface SessionFile {
  cachescope: 'session';
  schemaVersion: number;
  exportedAt: number;
  streamUrl?: string;
  /** The app the session was recorded from. */
  app?: ConnectionState['app'];
  snapshot: Snapshot;
}

// ───────────────────────────── transport ─────────────────────────────

/** `searching`: looking for the app's own stream among the stream ports (`search` says what was found). */
export type ConnectionStatus = 'idle' | 'searching' | StreamStatus;
export type TabRole = 'leader' | 'follower' | 'solo';

export interface ConnectionState {
  status: ConnectionStatus;
  role: TabRole;
  /** Consecutive failed attempts since the last successful connect. */
  attempts: number;
  lastError?: string;
  /** pid of the process serving the stream (from its `hello`). */
  serverPid?: number;
  /** The app whose stream this is (from its `hello`), else the app the overlay looks for. */
  app?: Pick<AppIdentity, 'id' | 'name'> & Partial<AppIdentity>;
  /** While searching: what the stream ports hold, and why none fits. */
  search?: string;
}

/** Where the data on screen comes from. */
export type DataSource = { kind: 'live' } | { kind: 'file'; name: string; loadedAt: number };

export interface Highlight {
  tab: TabId;
  /** Event id (requests), tag (tags), revalidation id (revalidations) or finding id (findings). */
  key: string;
  /** Bumped on every highlight so the same target can be scrolled to twice. */
  seq: number;
}
