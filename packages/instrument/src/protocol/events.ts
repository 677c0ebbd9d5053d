/**
 * The cachescope event model, version 1: every type the hooks, the recorder, the analysis, the stream,
 * the CLI, the OTel mapping and the overlay share. Types only (plus `SCHEMA_VERSION`), so the overlay can import this file without pulling in server code.
 *
 * Conventions that hold for every event:
 * - secrets never appear in clear: URLs go through `redactUrl`, header values through `redactHeaders`,
 *   cache keys and key parts are hashed (`shortHash`), and user scopes are short hashes;
 * - `id` is assigned by the recorder, strictly increasing within one stream;
 * - `ts` is epoch milliseconds;
 * - request context (`requestId`, `route`, `workUnit`, `phase`, `requestKind`) is absent when the event
 *   happened outside a request (disk seed at start, internal errors, build-time handler calls).
 */

export const SCHEMA_VERSION = 1 as const;
export type SchemaVersion = typeof SCHEMA_VERSION;

// ─────────────────────────────────────── the app and its stream ───────────────────────────────────────

/**
 * The app a stream, a snapshot and an overlay belong to: what Next builds (project directory + `distDir`),
 * in one mode. Every process of one app feeds one stream and one tag index; another app never mixes in.
 */
export interface AppIdentity {
  /** Short hash of directory, distDir and mode: equal for every process of the app, different for any other. */
  id: string;
  /** The project's package.json `name`, else its folder name. */
  name: string;
  /** The project directory (absolute). */
  dir: string;
  /** `next dev` keeps its cache apart (`<distDir>/dev`), so dev and start of one project are two apps. */
  mode: 'dev' | 'prod';
}

/** What the overlay knows of its app (inlined into the client bundle by withCacheScope): enough to find its stream. */
export interface AppStreamHint {
  id: string;
  name: string;
  /** The first stream port (`CACHESCOPE_PORT` at build, else 7340). */
  port: number;
}

/** `GET /health`, and the stream's `hello` message (plus `lastId`). */
export interface StreamHealth {
  cachescope: true;
  version: string;
  pid: number;
  schemaVersion: number;
  /** Absent only for a stream started without an app (tests, embedders). */
  app?: AppIdentity;
  /** Epoch ms the serving process started its stream. */
  startedAt: number;
  /** Cluster mode only: the link to the other instances of the app right now. */
  cluster?: ClusterStatus;
}

// ───────────────────────────────────────── request context ─────────────────────────────────────────

/** Next's work-unit store type (`workUnitAsyncStorage.getStore().type`, research §2.9). */
export type WorkUnit =
  | 'request'
  | 'prerender'
  | 'prerender-runtime'
  | 'prerender-client'
  | 'prerender-legacy'
  | 'validation-client'
  | 'cache'
  | 'private-cache'
  | 'unstable-cache'
  | 'build-time-generator';

/** `workUnitStore.phase`. Route handlers run with phase `'action'` (research §2.9). */
export type Phase = 'render' | 'action' | 'after';

/** What kind of request the event happened in. */
export type RequestKind = 'page' | 'action' | 'route-handler' | 'unknown';

export interface EventContext {
  requestId?: string;
  /** `workStore.route`, e.g. `/dashboard/[id]`. */
  route?: string;
  workUnit?: WorkUnit;
  phase?: Phase;
  requestKind?: RequestKind;
}

export interface EventBase extends EventContext {
  /** Assigned by the recorder; strictly increasing within one stream. */
  id: number;
  /** Epoch milliseconds. */
  ts: number;
  pid: number;
  /**
   * Cluster mode (`CACHESCOPE_REDIS_URL`): the instance that recorded the event (`CACHESCOPE_INSTANCE`, else
   * `host:pid`). Events of other instances arrive through Redis with theirs; absent outside cluster mode.
   */
  instance?: string;
}

// ───────────────────────────────────────── shared vocabulary ───────────────────────────────────────

/** What cachescope concluded a cached call did (after correcting Next's misreports). */
export type CallDecision = 'hit' | 'stale' | 'miss' | 'skip' | 'deduped';
/** `next.fetch.cache_status` / `FetchMetric.cacheStatus` as Next reports it (research §2.1.1). */
export type NextFetchStatus = 'hit' | 'miss' | 'skip' | 'hmr';
/** Dev-only behaviour that looks like a cache bug but is not one. */
export type DevArtefact = 'hard-refresh' | 'hmr';
/** Request-scoped headers a fetch forwarded (names only; the values live in `scope`). */
export type CredentialHeader = 'cookie' | 'authorization';

/**
 * Machine-readable reason behind a fetch decision. The human sentence is in `FetchEvent.reason`.
 * Skip reasons mirror Next's `cacheReason` strings (research §2.1.1); the rest describe served results.
 */
export type ReasonCode =
  | 'auto-no-cache'
  | 'auto-cache'
  | 'cache-no-store'
  | 'cache-no-cache'
  | 'revalidate-0'
  | 'revalidate'
  | 'force-cache'
  | 'no-store-call'
  | 'unstable-cache-force-no-store'
  | 'segment-force-no-store'
  | 'segment-only-no-store'
  | 'segment-force-cache'
  | 'segment-default-cache'
  | 'action-default-no-store'
  | 'segment-default-no-store'
  | 'hard-refresh'
  | 'cold-miss'
  | 'stored-earlier'
  | 'not-stored'
  | 'stale'
  | 'stale-foreground'
  | 'hmr'
  | 'deduped'
  | 'unknown';

/** Which of Next's tag limits left a declared tag off its entry: over 256 characters, or past 128 tags. */
export type TagLimit = 'length' | 'count';

/** Where a call's tags ended up when they did reach a cache. */
export type TagTarget = 'own-entry' | 'enclosing-cache' | 'prerender';

/** Which cache handler an I/O event came through. `use-cache:<kind>` names a `cacheHandlers` kind. */
export type CacheHandlerName = 'incremental' | `use-cache:${string}`;

/**
 * Kind of a cache entry. Next's incremental kinds plus two cachescope distinctions:
 * `UNSTABLE_CACHE` (FETCH kind whose fetchUrl starts with `unstable_cache `) and `USE_CACHE`.
 */
export type EntryKind = 'FETCH' | 'UNSTABLE_CACHE' | 'USE_CACHE' | 'APP_PAGE' | 'APP_ROUTE' | 'PAGES' | 'IMAGE' | 'REDIRECT';

export type CacheGetResult = 'hit' | 'stale' | 'miss';

/** `cacheLife` values in seconds. */
export interface CacheLife {
  stale?: number;
  revalidate?: number;
  expire?: number;
}

export type RevalidateApi = 'revalidateTag' | 'updateTag' | 'revalidatePath' | 'refresh';
/** Second argument of `revalidateTag`: a profile name (`'max'`, `'hours'`, …) or an inline profile. */
export type RevalidateProfile = string | CacheLife;

/**
 * How a committed revalidation acts: `expire-now` (updateTag, one-argument revalidateTag, revalidatePath,
 * or a profile with `expire: 0`), or `stale-while-revalidate` (`revalidateTag(tag, profile)`).
 */
export type CommitMode = 'expire-now' | 'stale-while-revalidate';

// ───────────────────────────────────────── events ──────────────────────────────────────────────────

/** The options a call declared, exactly as written (tags before Next's header-safe encoding). */
export interface DeclaredFetchOptions {
  cache?: string;
  revalidate?: number | false;
  tags?: string[];
}

/** One server `fetch` as cachescope saw it. */
export interface FetchEvent extends EventBase, CallSiteFields {
  type: 'fetch';
  method: string;
  /** Redacted with `redactUrl`. */
  url: string;
  declared: DeclaredFetchOptions;
  /** Corrected decision (see `decideFetch`). */
  decision: CallDecision;
  /** Human reason for the decision, in words. */
  reason: string;
  reasonCode: ReasonCode;
  /** Raw `cache_status` from Next, kept as evidence; may disagree with `decision`. */
  nextStatus?: NextFetchStatus;
  /** Raw `cache_reason` from Next, kept as evidence. Absent on 16.0–16.2 without metrics. */
  nextReason?: string;
  devArtefact?: DevArtefact;
  /** HTTP status of the response (cached or origin). */
  status?: number;
  durationMs?: number;
  /** Hashed data-cache key, equal to the `key` of the matching cache-get / cache-set events. */
  cacheKey?: string;
  /** Tags that reached a cache entry (the fetch's own entry, an enclosing `'use cache'`, or the page). */
  tagsAttached: string[];
  tagsAttachedTo?: TagTarget;
  /** Tags declared in `next.tags` that reached no cache. */
  tagsDropped: string[];
  dropReason?: string;
  /** Of `tagsDropped`, those Next left off a stored entry because of its tag limits (see `TagLimit`). */
  tagsOverLimit?: string[];
  /** Which request-scoped headers this fetch forwarded (names only). */
  forwarded?: CredentialHeader[];
  /** Short hash of the request-scoped inputs that make the response per-user (see `scopeHash`). */
  scope?: string;
  /** The call rejected (network error, the app's cache handler threw…): `Name: message`, redacted. */
  error?: string;
}

/** One `unstable_cache(...)()` invocation. */
export interface UnstableCacheEvent extends EventBase, CallSiteFields {
  type: 'unstable-cache';
  /** Hash of the key parts plus arguments. */
  keyHash: string;
  fnName?: string;
  tags: string[];
  revalidate?: number | false;
  decision: CallDecision;
  /** Hashed incremental-cache key, when the hook could correlate it with a cache-get/set. */
  cacheKey?: string;
  scope?: string;
  durationMs?: number;
  /** The call rejected (its callback, or the cache handler's lookup, threw): `Name: message`, redacted. */
  error?: string;
  /**
   * `shortHash` of each string the call passed in `keyParts` (its arguments excluded): lets the analysis
   * recognise a revalidated tag that was given as a key part instead of in `options.tags`, without the
   * key parts (often a session) leaving the process in clear.
   */
  keyPartHashes?: string[];
}

/** One `'use cache'` function invocation. */
export interface UseCacheEvent extends EventBase, CallSiteFields {
  type: 'use-cache';
  /** The server reference id of the cached function. */
  functionId: string;
  /** `cacheHandlers` kind, e.g. `default`, `remote`, `private`. */
  handlerKind?: string;
  /** `cacheTag()` tags plus the tags collected from inner fetches. */
  tags: string[];
  cacheLife?: CacheLife;
  decision: CallDecision;
  cacheKey?: string;
  scope?: string;
  durationMs?: number;
  /** Why, in words, when the decision needs one (`skip`: the handler's get() failed). */
  reason?: string;
  /** The cache handler's lookup rejected, so the call rejected too: `Name: message`, redacted. */
  error?: string;
}

interface CacheIoBase extends EventBase {
  handler: CacheHandlerName;
  kind: EntryKind;
  /** Hashed cache key. */
  key: string;
  /** Explicit tags on the entry (or on the lookup context). */
  tags: string[];
  /** Implicit `_N_T_` tags of the reading route. */
  softTags?: string[];
  /** Epoch ms after which the entry is gone for good, when known. */
  expireAt?: number;
  /**
   * cache-set: epoch ms the entry counts as written from, when known ('use cache': the timestamp Next
   * stamped on it; data cache: when the handler's write completed). Tag expiries after it reach it.
   */
  createdAt?: number;
  /** Seconds. */
  revalidate?: number;
  /** Redacted fetchUrl for FETCH / UNSTABLE_CACHE entries. */
  url?: string;
  scope?: string;
}

/** A cache handler `get` (incremental `cacheHandler.get` or a `'use cache'` handler's `get`). */
export interface CacheGetEvent extends CacheIoBase {
  type: 'cache-get';
  result: CacheGetResult;
}

/** A cache handler `set`. */
export interface CacheSetEvent extends CacheIoBase {
  type: 'cache-set';
}

/** Where the app's code made a call, in its own source. */
export interface SourceSite {
  /** Relative to the app's directory: the source file (`app/broken/actions.ts`), or the compiled chunk when `unresolved`. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** The calling function (`refreshMine`). */
  fn?: string;
  /** Why `file` is not the source: e.g. the build wrote no server source maps (and the config line that does). */
  unresolved?: string;
}

/** Where the app made the call: `fn (file:line:col)`, in its source where the build has source maps. */
export interface CallSiteFields {
  callSite?: string;
  site?: SourceSite;
}

/** A dynamic request API read. */
export interface DynamicApiEvent extends EventBase, CallSiteFields {
  type: 'dynamic-api';
  api: 'cookies' | 'headers' | 'connection' | 'draftMode';
  /** Reads of this API in this request render folded into this event (first call's call site). */
  count?: number;
}

/** A call to `revalidateTag` / `updateTag` / `revalidatePath` / `refresh` (the request, not the commit). */
export interface RevalidateCallEvent extends EventBase, CallSiteFields {
  type: 'revalidate-call';
  api: RevalidateApi;
  /** Arguments as strings, redacted. */
  args: string[];
  /** Tags the call enqueues (revalidatePath: the `_N_T_` tags, see `revalidatePathTags`). `[]` for refresh. */
  tags: string[];
  profile?: RevalidateProfile;
  /** Scope of the calling request (the user who asked). */
  scope?: string;
  /** Set when Next threw (e.g. `updateTag` in a route handler); such a call enqueues nothing. */
  error?: string;
}

/** One live cache entry a revalidation reached. */
export interface MatchedEntry {
  key: string;
  kind: EntryKind;
  route?: string;
  scope?: string;
  /** `tag`: the entry carries the tag; `soft-tag`: the entry was read with it as an implicit tag. */
  via: 'tag' | 'soft-tag';
  /** The revalidated tag that matched. */
  tag: string;
}

/**
 * A committed revalidation as one handler received it (`cacheHandler.revalidateTag` or a `'use cache'`
 * handler's `updateTags`). One logical revalidation arrives once per handler; the analysis coalesces them.
 */
export interface RevalidationCommitEvent extends EventBase {
  type: 'revalidation-commit';
  handler: CacheHandlerName;
  tags: string[];
  mode: CommitMode;
  /** `durations.expire`, seconds. */
  expireSeconds?: number;
  /** Filled in place by the analysis: live entries this commit reached (empty on coalesced duplicates). */
  matched?: MatchedEntry[];
  /** Filled in place by the analysis on duplicates: the id of the commit event this one was folded into. */
  coalescedInto?: number;
  /** Filled in place by the analysis: what Next did beyond the matched entries (see `Revalidation.notes`). */
  notes?: string[];
}

/** An entry found on disk at start (written by `next build` or an earlier run). */
export interface SeedEntryEvent extends EventBase {
  type: 'seed-entry';
  kind: EntryKind;
  key: string;
  tags: string[];
  /** Implicit tags of the routes that read the entry during `next build` (data-cache entries). */
  softTags?: string[];
  expireAt?: number;
  source: 'fetch-cache' | 'server-meta';
}

/** cachescope itself failed somewhere; the host call went on unchanged. */
export interface InternalErrorEvent extends EventBase {
  type: 'internal-error';
  where: string;
  /** Redacted; never user secrets. */
  message: string;
  /** How many times this (where, message) happened since the last event for it. */
  count: number;
}

/** Cluster mode: this instance's link to the fleet changed (the overlay's banner reads the latest one). */
export interface ClusterStatusEvent extends EventBase {
  type: 'cluster-status';
  status: ClusterStatus;
}

export interface ClusterStatus {
  /** `connected`: events of every instance of the app; `lost`: this instance's events only, reconnecting. */
  state: 'connecting' | 'connected' | 'lost';
  /** This instance's label. */
  self: string;
  /** Instances seen through Redis (this one included), by label. */
  instances: string[];
  /** Events published to / received from Redis, and local events dropped (queue full or Redis away). */
  published: number;
  received: number;
  dropped: number;
  /** Why the link is lost (redacted: no credentials of the Redis URL). */
  reason?: string;
  since: number;
}

export type CacheScopeEvent =
  | FetchEvent
  | UnstableCacheEvent
  | UseCacheEvent
  | CacheGetEvent
  | CacheSetEvent
  | DynamicApiEvent
  | RevalidateCallEvent
  | RevalidationCommitEvent
  | SeedEntryEvent
  | InternalErrorEvent
  | ClusterStatusEvent;

export type EventType = CacheScopeEvent['type'];
export type EventOfType<T extends EventType> = Extract<CacheScopeEvent, { type: T }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the recorder stamps `id`, `ts` and `pid` on it. */
export type EventDraft = DistributiveOmit<CacheScopeEvent, 'id' | 'ts' | 'pid'>;

// ───────────────────────────────────────── findings ────────────────────────────────────────────────

export type FindingKind =
  | 'orphaned-tag'
  | 'noop-revalidation'
  | 'stale-after-revalidate'
  | 'broad-revalidation'
  | 'deprecated-revalidate-tag-single-arg'
  | 'dev-artefact'
  | 'partial-fleet-revalidation';

/** `error`: the code does not do what it says. `warning`: it works, at a cost or risk. `info`: worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** The article's decision rule and the Next 16 APIs a fix can point at. */
export type FixPattern =
  | 'pattern-1' // unstable_cache with the session as a key part + per-user hashed tag
  | 'pattern-2' // 'use cache' + cacheTag with the session as an argument + per-user hashed tag
  | 'pattern-3' // accept dynamic: React.cache for dedupe, revalidatePath to re-render
  | 'updateTag' // read-your-writes in Server Actions
  | 'opt-in-cache' // cache: 'force-cache' / next.revalidate on a fetch that is not per-user
  | 'revalidateTag-profile' // revalidateTag(tag, 'max')
  | 'revalidateTag-expire-0' // revalidateTag(tag, { expire: 0 }) outside Server Actions
  | 'revalidatePath-layout' // revalidatePath('/', 'layout'): the real "revalidate everything"
  | 'per-user-tags' // narrow a global tag to `tag:<sessionHash>`
  | 'fix-tag-name'
  | 'shared-cache-handler' // several instances: one cache handler they all share (Redis)
  | 'no-action';

export interface FindingFix {
  pattern: FixPattern;
  /** Other patterns that also fit (the article's decision rule). */
  alternatives?: FixPattern[];
  text: string;
}

export interface FindingBase {
  /** Stable across occurrences: `<kind>:<subject>`. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  tags: string[];
  message: string;
  /** Event ids backing the finding (capped; keeps the earliest and the latest). */
  evidence: number[];
  fix: FindingFix;
  /** How many times it was observed. */
  count: number;
  firstTs: number;
  lastTs: number;
}

export type OrphanCause = 'declared-on-uncached-call' | 'over-tag-limit' | 'revalidated-never-declared' | 'all-entries-expired';

export interface OrphanedTagFinding extends FindingBase {
  kind: 'orphaned-tag';
  cause: OrphanCause;
  /** For `declared-on-uncached-call`: why the call skipped the cache. */
  dynamicReason?: string;
  /** For `revalidated-never-declared`: the closest known tag. */
  suggestion?: string;
  /**
   * For `revalidated-never-declared`: the tag was passed to `unstable_cache` as a key part (which only names
   * the entry) instead of in `options.tags`; the call's name (its first key part, redacted) when it has one.
   */
  keyPartOf?: { fnName?: string };
  /** For `over-tag-limit`: the limit Next applied. */
  limit?: TagLimit;
}

export interface NoopRevalidationFinding extends FindingBase {
  kind: 'noop-revalidation';
  api: RevalidateApi | 'unknown';
  /** How many of the observed revalidations with this api and tags matched no live entry. */
  noops: number;
  /** How many matched at least one live entry. */
  effective: number;
}

export interface StaleAfterRevalidateFinding extends FindingBase {
  kind: 'stale-after-revalidate';
  api: RevalidateApi | 'unknown';
  /** Hashed keys of entries served stale after the revalidation. */
  keys: string[];
}

/**
 * Cluster mode: a revalidation on one instance that another instance's cache did not see (no shared cache
 * handler). Evidence: that instance's next read of an entry the revalidation reached was a fresh hit.
 */
export interface PartialFleetRevalidationFinding extends FindingBase {
  kind: 'partial-fleet-revalidation';
  api: RevalidateApi | 'unknown';
  /** The instance that revalidated. */
  revalidatedOn: string;
  /** Instances still serving entries from before the revalidation, with their hashed keys. */
  staleOn: { instance: string; keys: string[]; staleUntil?: number }[];
}

export interface BlastRadius {
  entries: number;
  scopes: number;
  routes: string[];
  kinds: EntryKind[];
}

export interface BroadRevalidationFinding extends FindingBase {
  kind: 'broad-revalidation';
  api: RevalidateApi | 'unknown';
  blast: BlastRadius;
  /** Scope of the request that asked, when known. */
  requesterScope?: string;
}

export interface DeprecatedSingleArgFinding extends FindingBase {
  kind: 'deprecated-revalidate-tag-single-arg';
}

export interface DevArtefactFinding extends FindingBase {
  kind: 'dev-artefact';
  artefact: DevArtefact;
}

export type Finding =
  | OrphanedTagFinding
  | NoopRevalidationFinding
  | StaleAfterRevalidateFinding
  | BroadRevalidationFinding
  | DeprecatedSingleArgFinding
  | DevArtefactFinding
  | PartialFleetRevalidationFinding;

// ───────────────────────────────────────── snapshot ────────────────────────────────────────────────

/** A live entry as the tag index knows it. */
export interface EntrySummary {
  key: string;
  kind: EntryKind;
  route?: string;
  scope?: string;
  createdAt: number;
  expireAt?: number;
  tags: string[];
  softTags: string[];
  /** `stale` after a stale-while-revalidate commit reached it, until it is rewritten. */
  state: 'fresh' | 'stale';
  /** Where the index learned about it. */
  source: 'set' | 'get' | 'seed';
}

export type TagHistoryKind =
  | 'declared'
  | 'attached'
  | 'dropped'
  | 'revalidated'
  | 'entry-added'
  | 'entry-expired'
  | 'entry-revalidated'
  | 'entry-gone'
  | 'entry-evicted';

export interface TagHistoryItem {
  what: TagHistoryKind;
  eventId: number;
  ts: number;
  detail?: string;
}

export interface TagSummary {
  tag: string;
  /** `_N_T_…` implicit tag (route / path). */
  implicit: boolean;
  liveEntries: number;
  entries: EntrySummary[];
  declared: number;
  attached: number;
  dropped: number;
  revalidated: number;
  lastDropReason?: string;
  /** The form the app wrote, when Next stores and invalidates the tag percent-encoded (non-ASCII characters). */
  written?: string;
  /** Most recent history items, oldest first (capped). */
  history: TagHistoryItem[];
}

export type RevalidationStatus = 'pending' | 'committed' | 'no-cache-effect' | 'failed';

/** One logical revalidation: a call joined to its (coalesced) commit. */
export interface Revalidation extends CallSiteFields {
  /** The call event id, or the commit event id when no call was observed. */
  id: number;
  /** Cluster mode: the instance it ran on. */
  instance?: string;
  api: RevalidateApi | 'unknown';
  args: string[];
  tags: string[];
  profile?: RevalidateProfile;
  mode?: CommitMode;
  expireSeconds?: number;
  status: RevalidationStatus;
  ts: number;
  requestId?: string;
  route?: string;
  phase?: Phase;
  requestKind?: RequestKind;
  scope?: string;
  callEventId?: number;
  commitEventIds: number[];
  matched: MatchedEntry[];
  blast: BlastRadius;
  /**
   * What Next did beyond the matched entries, in words (e.g. `updateTag` in a Server Action re-renders the
   * current route whether or not it reads the tag).
   */
  notes?: string[];
}

export interface InternalErrorSummary {
  where: string;
  message: string;
  count: number;
}

export interface Snapshot {
  schemaVersion: SchemaVersion;
  /** The app whose stream served it (added by the stream server). */
  app?: AppIdentity;
  /** Retained events, oldest first (bounded; see `dropped`). */
  events: CacheScopeEvent[];
  tags: TagSummary[];
  revalidations: Revalidation[];
  findings: Finding[];
  /** Events overwritten in the bounded buffer since the last clear. */
  dropped: number;
  /** Epoch ms the snapshot was taken (set by the analysis). */
  generatedAt?: number;
  /** Tag-index size and how many entries its cap evicted (a non-zero `evicted` weakens no-op verdicts). */
  index?: { liveEntries: number; evicted: number };
  /** cachescope's own failures, aggregated (never user secrets). */
  internalErrors?: InternalErrorSummary[];
}
