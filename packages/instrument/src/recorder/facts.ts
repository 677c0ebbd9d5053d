// Raw observations, as the Next hooks see them. They are cheap to make (no parsing, hashing or
// stack formatting on the hot path); the recorder turns them into events at flush time.
import type { SpanContext } from '@opentelemetry/api';
import type { ScopeInputs } from '../analysis/hash.js';

export type RequestKind = 'page' | 'action' | 'route-handler' | 'unknown';

export type RequestContext = {
  requestId?: number;
  route?: string;
  workUnit?: string;
  phase?: string;
  requestKind: RequestKind;
  /**
   * The incoming request's Cookie and Authorization, raw, kept in the process only: a cached call whose key
   * or tags carry one of them is per-user (analysis/user-scope.ts). Never copied into an event.
   */
  requester?: ScopeInputs;
  /** The active OTel span where the hook ran; set only while cachescope exports spans (src/otel). */
  span?: SpanContext;
};

/** What a data-cache lookup really returned, judged the way Next judges it right after. */
export type LookupResult = 'hit' | 'stale' | 'miss' | 'expired-by-tag' | 'dropped-revalidated-in-request';

export type Lookup = { result: LookupResult; key: string; tags: string[]; softTags: string[] };
/** `at`: when the handler's write completed. */
export type Store = { key: string; tags: string[]; revalidate?: number | false; at?: number };

type Base = { t: number; ctx: RequestContext };

/** One call of the app's fetch, filled in while it runs (`end` set when it settled). */
export type FetchFacts = Base & {
  kind: 'fetch';
  input: unknown;
  init: { method?: string; headers?: unknown } | undefined;
  /** init.cache and init.next as passed: Next rewrites init.next on its way to the origin. */
  declaredCache: unknown;
  declaredNext: { tags?: unknown; revalidate?: unknown } | undefined;
  lookup?: Lookup;
  originCalls: number;
  stored?: Store;
  /** Next's write of the response is in flight (it writes once the body has arrived): not settled yet. */
  writing?: boolean;
  end?: number;
  status?: number;
  /** `Name: message` of the rejection the app received (raw; redacted at flush). */
  failed?: string;
  /** The cache handler's get() rejected (the app's own handler threw): `Name: message`, raw. */
  lookupFailed?: string;
  /** Next's own report from its `AppRender.fetch` span (16.3+), when cachescope's span processor saw it. */
  next?: { status?: string; reason?: string };
  /** Where the app called fetch: a few frames, resolved at flush. */
  site?: Error;
};

/** One call of a function returned by unstable_cache (seen through the next/cache shim). */
export type UnstableCacheFacts = Base & {
  kind: 'unstable-cache';
  /** The key parts as passed, then the call's arguments. */
  keyParts: unknown[];
  /** How many of `keyParts` the app passed as key parts (the rest are the call's arguments). */
  declaredKeyParts?: number;
  tags: unknown;
  revalidate: unknown;
  lookup?: Lookup;
  stored?: Store;
  end?: number;
  failed?: string;
  /** The cache handler's get() rejected (the app's own handler threw): `Name: message`, raw. */
  lookupFailed?: string;
  /** Where the app called the cached function: a few frames, resolved at flush. */
  site?: Error;
};

export type HandlerName = 'incremental' | `use-cache:${string}`;

/** A read or write on a cache handler that no call context claimed (pages, route entries, 'use cache'). */
export type CacheIoFacts = Base & {
  kind: 'cache-get' | 'cache-set';
  handler: HandlerName;
  entryKind: string;
  key: string;
  tags: string[];
  softTags: string[];
  result?: LookupResult;
  url?: string;
  revalidate?: number | false;
  expire?: number;
  stale?: number;
  createdAt?: number;
  /** The call this I/O ran under when it arrived after that call was reported (a late write). */
  caller?: CallFrame;
  /** A 'use cache' handler's get() rejected (the app's own handler threw): `Name: message`, raw. */
  failed?: string;
  /** 'use cache' lookups: where the app called the function (async frames awaiting it), resolved at flush. */
  site?: Error;
};

export type RevalidateApi = 'revalidateTag' | 'updateTag' | 'revalidatePath' | 'refresh';

export type RevalidateCallFacts = Base & {
  kind: 'revalidate-call';
  api: RevalidateApi;
  args: unknown[];
  site: Error;
  threw?: string;
};

export type CommitFacts = Base & {
  kind: 'revalidation-commit';
  handler: HandlerName;
  tags: string[];
  durations?: { expire?: number };
};

export type DynamicApi = 'cookies' | 'headers' | 'draftMode' | 'connection';

/**
 * Reads of one API in one request (all its renders), folded: `count` grows until the recorder reports it
 * (`finalized`), once the render has stopped reading (`countSeen` / `changedAt`: the recorder's view).
 */
export type DynamicApiFacts = Base & {
  kind: 'dynamic-api';
  api: DynamicApi;
  site: Error;
  count: number;
  finalized?: boolean;
  countSeen?: number;
  changedAt?: number;
};

export type SeedFacts = Base & {
  kind: 'seed-entry';
  entryKind: string;
  key: string;
  tags: string[];
  /** Implicit tags of the routes that read the entry during `next build`. */
  softTags?: string[];
  createdAt?: number;
  expireAt?: number;
  url?: string;
};

export type InternalErrorFacts = Base & { kind: 'internal-error'; where: string; error: unknown };

export type Facts =
  | FetchFacts
  | UnstableCacheFacts
  | CacheIoFacts
  | RevalidateCallFacts
  | CommitFacts
  | DynamicApiFacts
  | SeedFacts
  | InternalErrorFacts;

/**
 * A call in flight: the hooks below it (cache handler, origin fetch) attach what they see to it until
 * the recorder has turned it into events (`finalized`); a late write after that is its own event.
 */
export type CallFrame = (FetchFacts | UnstableCacheFacts) & {
  finalized?: boolean;
  /** src/recorder/call-registry.ts: the key it is filed under while open, and the order it opened in. */
  filedUnder?: string;
  openedAs?: number;
  /** A fetch's URL as Next reports it (`new URL(input).href`), once a hook had to match by it. */
  href?: string;
};
