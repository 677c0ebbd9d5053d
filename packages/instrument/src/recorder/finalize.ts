// Turns raw hook facts into events of the shared model, at flush time: the decision correction,
// tag fate, redaction and hashing all happen here, off the app's path.
import { decideFetch, type LookupResult as CoreLookup } from '../analysis/decision.js';
import type {
  CacheLife,
  CallSiteFields,
  CacheScopeEvent,
  SourceSite,
  CredentialHeader,
  EntryKind,
  EventContext,
  EventDraft,
  NextFetchStatus,
  Phase,
  WorkUnit,
} from '../protocol/events.js';
import { scopeHash, shortHash } from '../analysis/hash.js';
import { redactText, redactUrl, secretsFromRequest } from '../analysis/redact.js';
import { commitModeFromDurations, tagsForRevalidateCall } from '../analysis/revalidate-semantics.js';
import { Memo, memoize } from '../analysis/memo.js';
import { tagFate } from '../analysis/tag-fate.js';
import { cachedCallScope } from '../analysis/user-scope.js';
import type { CacheIoFacts, CallFrame, Facts, FetchFacts, Lookup, LookupResult, RequestContext, UnstableCacheFacts } from './facts.js';
import { callFramesOf, callSiteOf, credentialsOf, methodOf, stringTags, urlOf } from './inputs.js';
import { createSiteResolver, frameTextInApp, siteText } from './source-sites.js';
import { failedUseCacheCall } from './use-cache-failure.js';
import { devRetentionReason, servedExpireSeconds } from './dev-retention.js';

export type TimedDraft = EventDraft & { ts: number };
/** The events of a fact, or none yet: `recheckAt` (epoch ms) says when to look at it again. */
type Built = { events: TimedDraft[]; recheckAt?: number };

/** A call still running after this long is reported as it stands. */
const SETTLE_TIMEOUT_MS = 30_000;
/** Wait this long after a call settled for a background refetch to show up (stale detection). */
const SETTLE_GRACE_MS = 10;
const PENDING_USE_CACHE_CAP = 1_000;
/**
 * A request reads cookies() & co. many times, spread over its awaits: its reads of one API become one event
 * once no read came for this long. A page request under load takes hundreds of ms between its first and
 * last read (with 50 ms, the demo under load at c=16 still split one request's reads into several events).
 */
const DYNAMIC_READS_QUIET_MS = 250;

/** Contexts are shared per work unit (src/hooks/request-context.ts): convert each once. */
const eventContexts = new WeakMap<RequestContext, EventContext>();
function context(ctx: RequestContext): EventContext {
  let out = eventContexts.get(ctx);
  if (!out) {
    out = {
      requestId: ctx.requestId === undefined ? undefined : String(ctx.requestId),
      route: ctx.route,
      workUnit: ctx.workUnit as WorkUnit | undefined,
      phase: ctx.phase as Phase | undefined,
      requestKind: ctx.requestKind,
    };
    eventContexts.set(ctx, out);
  }
  return out;
}

/** Tags as the analysis may trust them: strings only (hooks pass on whatever the app or a handler handed over). */
const tagList = (tags: unknown): string[] => stringTags(tags) ?? [];

function coreLookup(result: LookupResult | undefined): CoreLookup {
  if (!result) return 'none';
  if (result === 'hit' || result === 'stale') return result;
  return 'miss';
}

/** No handler lookup for an unstable_cache call: Next served it from the request's resume data cache. */
function callDecision(result: LookupResult | undefined) {
  const lookup = coreLookup(result);
  return lookup === 'none' ? ('deduped' as const) : lookup;
}

/** Fetch URLs as events show them: redacted, and scrubbed of the secrets their request forwarded. */
const shownUrls = new Memo();
function shownUrl(url: string, credentials: { cookie?: string; authorization?: string }): string {
  // JSON keeps the three parts apart whatever characters they hold.
  const key = JSON.stringify([url, credentials.cookie, credentials.authorization]);
  return shownUrls.get(key, () => redactText(redactUrl(url), secretsFromRequest(credentials)));
}
/** Call sites and unstable_cache names repeat (one per place in the app's code): redact each once. */
const shownText = memoize((text) => redactText(text));
/** Cache I/O no call claimed names its URL: the same few URLs on every request. */
const shownIoUrl = memoize((url) => redactUrl(url));

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function ioEvent(
  type: 'cache-get' | 'cache-set',
  facts: { t: number; ctx: RequestContext },
  kind: EntryKind,
  io: Lookup | { key: string; tags: string[]; revalidate?: number | false },
  extra: Record<string, unknown>,
): TimedDraft {
  return {
    type,
    ts: facts.t,
    ...context(facts.ctx),
    handler: 'incremental',
    kind,
    key: shortHash(io.key),
    tags: tagList(io.tags),
    softTags: 'softTags' in io ? tagList(io.softTags) : undefined,
    ...extra,
  } as TimedDraft;
}

function fetchEvents(f: FetchFacts, site: CallSiteFields | undefined): TimedDraft[] {
  const url = urlOf(f.input);
  const method = methodOf(f.input, f.init);
  const credentials = credentialsOf(f.input, f.init);
  const forwarded: CredentialHeader[] = [];
  if (credentials.cookie) forwarded.push('cookie');
  if (credentials.authorization) forwarded.push('authorization');
  const revalidate = f.declaredNext?.revalidate;
  const declared = {
    cache: typeof f.declaredCache === 'string' ? f.declaredCache : undefined,
    revalidate: typeof revalidate === 'number' ? revalidate : revalidate === false ? (false as const) : undefined,
    tags: stringTags(f.declaredNext?.tags),
  };
  const lookup = coreLookup(f.lookup?.result);
  const workUnit = f.ctx.workUnit as WorkUnit | undefined;
  const dev = process.env.NODE_ENV === 'development';
  const error = f.failed === undefined ? undefined : redactText(f.failed, secretsFromRequest(credentials)).slice(0, 500);
  // The cache handler's get() threw (the app's own handler): nothing was served, nothing deduplicated.
  const handlerFailed = f.lookupFailed !== undefined && !f.lookup;
  let verdict = decideFetch({
    lookup,
    originCalled: f.originCalls > 0,
    stored: !!f.stored,
    dev,
    // In dev Next skips the handler lookup only for a request with cache-control: no-cache (a browser
    // hard refresh), and still stores the response: a write with no lookup is that case.
    requestNoCache: dev && !f.lookup && !!f.stored,
    status: f.status,
    declared,
    workUnit,
    inAction: f.ctx.requestKind === 'action',
    method,
    forwarded,
  });
  if (handlerFailed) {
    const why = redactText(f.lookupFailed!, secretsFromRequest(credentials)).slice(0, 300);
    verdict = {
      decision: 'skip',
      reasonCode: 'unknown',
      reason: `the cache handler's get() failed, so the data cache served nothing (${why})`,
    };
  }
  const fate = handlerFailed
    ? { attached: [], dropped: [] }
    : tagFate(declared.tags, {
        stored: !!f.stored,
        lookup,
        workUnit,
        decision: verdict.decision,
        reason: verdict.reason,
        nextTags: stringTags(f.stored?.tags ?? f.lookup?.tags),
      });
  const scope = scopeHash(credentials);
  const redactedUrl = shownUrl(url, credentials);
  const events: TimedDraft[] = [];
  if (f.lookup)
    events.push(ioEvent('cache-get', f, 'FETCH', f.lookup, { result: lookup === 'none' ? 'miss' : lookup, url: redactedUrl, scope }));
  if (f.stored)
    events.push(
      ioEvent('cache-set', f, 'FETCH', f.stored, {
        url: redactedUrl,
        scope,
        revalidate: f.stored.revalidate || undefined,
        createdAt: f.stored.at,
      }),
    );
  events.push({
    type: 'fetch',
    ts: f.t,
    ...context(f.ctx),
    method,
    url: redactedUrl,
    declared,
    decision: verdict.decision,
    reason: verdict.reason,
    reasonCode: verdict.reasonCode,
    nextStatus: f.next?.status as NextFetchStatus | undefined,
    nextReason: f.next?.reason,
    devArtefact: verdict.devArtefact,
    status: f.status,
    durationMs: f.end === undefined ? undefined : f.end - f.t,
    error,
    cacheKey: f.lookup || f.stored ? shortHash((f.lookup ?? f.stored)!.key) : undefined,
    tagsAttached: fate.attached,
    tagsAttachedTo: fate.attachedTo,
    ...site,
    tagsDropped: fate.dropped,
    dropReason: fate.dropReason,
    tagsOverLimit: fate.overLimit,
    forwarded: forwarded.length ? forwarded : undefined,
    scope,
  });
  return events;
}

const keyPartText = (part: unknown) => (typeof part === 'string' ? part : safeJson(part));

/**
 * The user scope of a call: the credentials a fetch forwarded; for unstable_cache, the requester's, when
 * its key parts or tags carry one of the requester's credentials (analysis/user-scope.ts).
 */
function callerScope(caller: CallFrame | undefined): string | undefined {
  if (!caller) return undefined;
  if (caller.kind === 'fetch') return scopeHash(credentialsOf(caller.input, caller.init));
  return cachedCallScope([...caller.keyParts.map(keyPartText), ...tagList(caller.tags)], caller.ctx.requester);
}

function unstableCacheEvents(f: UnstableCacheFacts, site: CallSiteFields | undefined): TimedDraft[] {
  const keyHash = shortHash(safeJson(f.keyParts));
  const scope = callerScope(f);
  const tags = stringTags(f.tags) ?? [];
  // A call that failed without a lookup was not served from anywhere (its handler's get threw, or Next
  // bypassed the cache and the callback threw): not a dedupe.
  const failedUnserved = (f.failed !== undefined || f.lookupFailed !== undefined) && !f.lookup;
  const decision = failedUnserved ? ('skip' as const) : callDecision(f.lookup?.result);
  const events: TimedDraft[] = [];
  if (f.lookup) events.push(ioEvent('cache-get', f, 'UNSTABLE_CACHE', f.lookup, { result: coreLookup(f.lookup.result), scope }));
  if (f.stored)
    events.push(
      ioEvent('cache-set', f, 'UNSTABLE_CACHE', f.stored, { scope, revalidate: f.stored.revalidate || undefined, createdAt: f.stored.at }),
    );
  events.push({
    type: 'unstable-cache',
    ts: f.t,
    ...context(f.ctx),
    keyHash,
    fnName: typeof f.keyParts[0] === 'string' ? shownText(f.keyParts[0]) : undefined,
    tags,
    revalidate: typeof f.revalidate === 'number' || f.revalidate === false ? f.revalidate : undefined,
    decision,
    cacheKey: f.lookup || f.stored ? shortHash((f.lookup ?? f.stored)!.key) : undefined,
    scope,
    durationMs: f.end === undefined ? undefined : f.end - f.t,
    error: f.failed === undefined ? undefined : redactText(f.failed).slice(0, 500),
    keyPartHashes: keyPartHashes(f),
    ...site,
  });
  return events;
}

/** Hashes of the string key parts (not the arguments): enough to recognise a tag passed as one. */
function keyPartHashes(f: UnstableCacheFacts): string[] | undefined {
  const parts = f.keyParts.slice(0, f.declaredKeyParts ?? 0).filter((p): p is string => typeof p === 'string');
  return parts.length ? parts.map(shortHash) : undefined;
}

/** 'use cache' keys serialise the function id and its arguments: per-user when they or the tags carry the requester's credentials. */
const useCacheScope = (f: CacheIoFacts, requester = f.ctx.requester) => cachedCallScope([f.key, ...tagList(f.tags)], requester);

const ROUTE_KINDS = new Set(['APP_PAGE', 'APP_ROUTE']);

/**
 * Pages and route handlers are one entry per pathname, but Next names them differently on disk
 * (`server/app/x.meta`) and at run time (`/route-cache/<kind>/<hash>/$/x`): key them by the pathname
 * implicit tag both carry, so a build-time entry and its runtime reads are the same entry.
 */
function routeEntryKey(kind: string, key: string, tags: readonly string[]): string {
  if (!ROUTE_KINDS.has(kind)) return shortHash(key);
  const pathTags = tags.filter((t) => t.startsWith('_N_T_/') && !t.endsWith('/layout') && !t.endsWith('/page'));
  return shortHash(pathTags.length ? `${kind}:${pathTags[pathTags.length - 1]}` : key);
}

function cacheLifeOf(f: CacheIoFacts): CacheLife | undefined {
  if (f.revalidate === undefined && f.expire === undefined && f.stale === undefined) return undefined;
  return { stale: f.stale, revalidate: typeof f.revalidate === 'number' ? f.revalidate : undefined, expire: f.expire };
}

export function createFinalizer() {
  /** 'use cache' lookups that missed, waiting for the set that carries their tags. */
  const pendingUseCacheMisses = new Map<string, CacheIoFacts>();

  function useCacheCall(f: CacheIoFacts, decision: 'hit' | 'stale' | 'miss' | 'skip', ts: number): TimedDraft {
    return {
      type: 'use-cache',
      ts,
      ...context(f.ctx),
      functionId: f.url ?? 'unknown',
      handlerKind: f.handler.replace(/^use-cache:/, ''),
      tags: tagList(f.tags),
      cacheLife: cacheLifeOf(f),
      decision,
      cacheKey: shortHash(f.key),
      scope: useCacheScope(f),
      // A miss runs from its lookup to the set of the generated entry.
      durationMs: decision === 'miss' && f.t > ts ? f.t - ts : undefined,
      reason: decision === 'hit' || decision === 'stale' ? devRetentionReason(f) : undefined,
      ...(f.site && callSiteFields(f.site)),
    };
  }

  function cacheIoEvents(f: CacheIoFacts): TimedDraft[] {
    const kind = f.entryKind as EntryKind;
    const isUseCache = kind === 'USE_CACHE';
    // A 'use cache' set may run outside the request that missed: that request is the one asking.
    const scope = isUseCache ? useCacheScope(f, f.ctx.requester ?? pendingUseCacheMisses.get(f.key)?.ctx.requester) : callerScope(f.caller);
    const io: TimedDraft = {
      type: f.kind,
      ts: f.t,
      ...context(f.ctx),
      handler: f.handler,
      kind,
      key: routeEntryKey(kind, f.key, tagList(f.tags)),
      tags: tagList(f.tags),
      softTags: tagList(f.softTags).length ? tagList(f.softTags) : undefined,
      revalidate: typeof f.revalidate === 'number' ? f.revalidate : undefined,
      expireAt:
        f.expire !== undefined && f.createdAt !== undefined
          ? f.createdAt + (isUseCache ? servedExpireSeconds(f.expire) : f.expire) * 1000
          : undefined,
      url: f.url === undefined || isUseCache ? f.url : shownIoUrl(f.url),
      scope,
      ...(f.kind === 'cache-get'
        ? { result: coreLookup(f.result) === 'none' ? 'miss' : coreLookup(f.result) }
        : { createdAt: f.createdAt }),
    } as TimedDraft;
    if (!isUseCache) return [io];
    if (f.kind === 'cache-get') {
      // The handler's get() rejected: the call was served by nothing and will store nothing.
      if (f.failed !== undefined)
        return [failedUseCacheCall(useCacheCall(f, 'skip', f.t) as Extract<TimedDraft, { type: 'use-cache' }>, f)];
      const result = coreLookup(f.result);
      if (result === 'hit' || result === 'stale') return [io, useCacheCall(f, result, f.t)];
      if (pendingUseCacheMisses.size >= PENDING_USE_CACHE_CAP) pendingUseCacheMisses.clear();
      pendingUseCacheMisses.set(f.key, f);
      return [io];
    }
    const miss = pendingUseCacheMisses.get(f.key);
    pendingUseCacheMisses.delete(f.key);
    return [io, useCacheCall({ ...f, ctx: miss?.ctx ?? f.ctx, site: miss?.site }, 'miss', miss?.t ?? f.t)];
  }

  const sites = createSiteResolver();
  /**
   * Each captured site's fields, built once: under `next start` every call at a place shares the place's
   * capture (src/hooks/shims/call-site.ts); in dev each call has its own.
   */
  const fieldsOfSite = new WeakMap<Error, CallSiteFields>();
  function callSiteFields(site: Error): CallSiteFields {
    let fields = fieldsOfSite.get(site);
    if (!fields) {
      fields = resolveCallSite(site);
      fieldsOfSite.set(site, fields);
    }
    return fields;
  }

  /** The app's call site, in its source where the build has source maps (text and parts). */
  function resolveCallSite(site: Error): CallSiteFields {
    const frames = callFramesOf(site);
    const resolved = frames ? sites.resolve(frames) : undefined;
    // no frame of the app's code among those captured: the caller's name, never a path outside the app
    if (!resolved) return { callSite: shownText((frames ? frames.find((f) => f.fn)?.fn : frameTextInApp(callSiteOf(site) ?? '')) ?? '') };
    const fn = resolved.fn === undefined ? undefined : shownText(resolved.fn);
    const shown: SourceSite = { ...resolved, file: resolved.file === undefined ? undefined : shownText(resolved.file), fn };
    return { callSite: siteText(shown) ?? '', site: shown };
  }

  function build(f: Facts, now: number): Built {
    switch (f.kind) {
      case 'fetch':
      case 'unstable-cache': {
        const settled = f.end !== undefined && now - f.end >= SETTLE_GRACE_MS && !(f.kind === 'fetch' && f.writing);
        if (!settled && now - f.t < SETTLE_TIMEOUT_MS)
          return { events: [], recheckAt: f.end === undefined ? now : Math.max(now, f.end + SETTLE_GRACE_MS) };
        (f as CallFrame).finalized = true;
        const site = f.site && callSiteFields(f.site);
        return { events: f.kind === 'fetch' ? fetchEvents(f, site) : unstableCacheEvents(f, site) };
      }
      case 'cache-get':
      case 'cache-set':
        return { events: cacheIoEvents(f) };
      case 'revalidate-call': {
        const args = f.args.map((a) => redactText(typeof a === 'string' ? a : safeJson(a)));
        let tags: string[] = [];
        try {
          tags = tagsForRevalidateCall(f.api, f.args);
        } catch {
          tags = [];
        }
        const profile = f.api === 'revalidateTag' ? (f.args[1] as string | CacheLife | undefined) : undefined;
        return {
          events: [
            {
              type: 'revalidate-call',
              ts: f.t,
              ...context(f.ctx),
              api: f.api,
              args,
              tags,
              profile: typeof profile === 'string' || (profile && typeof profile === 'object') ? profile : undefined,
              ...callSiteFields(f.site),
              error: f.threw === undefined ? undefined : redactText(f.threw),
            },
          ],
        };
      }
      case 'revalidation-commit': {
        const { mode, expireSeconds } = commitModeFromDurations(f.durations);
        return {
          events: [
            { type: 'revalidation-commit', ts: f.t, ...context(f.ctx), handler: f.handler, tags: tagList(f.tags), mode, expireSeconds },
          ],
        };
      }
      case 'dynamic-api':
        if (f.count !== f.countSeen) {
          f.countSeen = f.count;
          f.changedAt = now;
        }
        if (now - f.changedAt! < DYNAMIC_READS_QUIET_MS && now - f.t < SETTLE_TIMEOUT_MS) {
          return { events: [], recheckAt: Math.min(f.changedAt! + DYNAMIC_READS_QUIET_MS, f.t + SETTLE_TIMEOUT_MS) };
        }
        f.finalized = true;
        return { events: [{ type: 'dynamic-api', ts: f.t, ...context(f.ctx), api: f.api, count: f.count, ...callSiteFields(f.site) }] };
      case 'seed-entry':
        return {
          events: [
            {
              type: 'seed-entry',
              ts: f.t,
              ...context(f.ctx),
              kind: f.entryKind as EntryKind,
              key: routeEntryKey(f.entryKind, f.key, tagList(f.tags)),
              tags: tagList(f.tags),
              ...(f.softTags?.length ? { softTags: tagList(f.softTags) } : {}),
              expireAt: f.expireAt,
              source: ROUTE_KINDS.has(f.entryKind) ? 'server-meta' : 'fetch-cache',
            },
          ],
        };
      case 'internal-error': {
        const message = f.error instanceof Error ? `${f.error.name}: ${f.error.message}` : String(f.error);
        return { events: [{ type: 'internal-error', ts: f.t, where: f.where, message: redactText(message), count: 1 }] };
      }
      default:
        return { events: [] };
    }
  }

  return { build };
}

export type { CacheScopeEvent };
