// Events -> span descriptions, and findings -> span event attributes. Pure: no tracer, no clock.
import type { Attributes } from '@opentelemetry/api';
import type {
  CacheScopeEvent,
  FetchEvent,
  Finding,
  RevalidateCallEvent,
  RevalidationCommitEvent,
  CallSiteFields,
  UnstableCacheEvent,
  UseCacheEvent,
} from '../protocol/events.js';
import { SPAN_NAMES } from './attributes.js';

export type SpanSpec = {
  name: string;
  /** Epoch ms. */
  start: number;
  end: number;
  attributes: Attributes;
  /** The span describes a failed call. */
  error?: string;
  /** Hashed key of the entry this call wrote (revalidation links point back at it). */
  creates?: string;
};

/** Caps list attributes (matched keys can be many on a broad revalidation). */
const MAX_LIST = 20;

// Attributes are object literals with constant keys (the values of ATTR; a unit test holds them to it):
// this runs once per span at flush time, and literal keys are much cheaper for V8 than keyed stores.
// An undefined value is no attribute (the SDK skips it); an empty list is none either.

const list = <T>(v: T[] | undefined): T[] | undefined => (v?.length ? (v.length > MAX_LIST ? v.slice(0, MAX_LIST) : v) : undefined);
const text = (v: number | false | undefined) => (v === undefined ? undefined : String(v));
/** The work unit and phase only when they are not the plain request render. */
const unit = (e: CacheScopeEvent) => (e.workUnit === 'request' ? undefined : e.workUnit);
const phase = (e: CacheScopeEvent) => (e.phase === 'render' ? undefined : e.phase);
const endOf = (ts: number, durationMs: number | undefined) => ts + (durationMs !== undefined && durationMs > 0 ? durationMs : 0);

/** Entries a call wrote: a miss (or stale refresh) that reached a cache under its own key. */
function created(decision: string, key: string | undefined): string | undefined {
  return key && (decision === 'miss' || decision === 'stale') ? key : undefined;
}

/** Which event a span stands for and where it happened (route, work unit, phase). */
function contextAttributes(e: CacheScopeEvent) {
  return {
    'cachescope.event.id': e.id,
    'cachescope.route': e.route,
    'cachescope.work_unit': unit(e),
    'cachescope.phase': phase(e),
  };
}

/** What every cached-call span carries: which event, where, and what the cache did. */
function callAttributes(e: FetchEvent | UnstableCacheEvent | UseCacheEvent) {
  return { ...contextAttributes(e), 'cachescope.decision': e.decision };
}

function fetchSpan(e: FetchEvent): SpanSpec {
  return {
    name: SPAN_NAMES.fetch,
    start: e.ts,
    end: endOf(e.ts, e.durationMs),
    creates: e.tagsAttachedTo === 'own-entry' || !e.tagsAttachedTo ? created(e.decision, e.cacheKey) : undefined,
    attributes: {
      ...callAttributes(e),
      'cachescope.reason': e.reason,
      'cachescope.reason_code': e.reasonCode,
      'cachescope.dev_artefact': e.devArtefact,
      'cachescope.fetch.method': e.method,
      'cachescope.fetch.url': e.url,
      'cachescope.fetch.status': e.status,
      'cachescope.fetch.cache': e.declared.cache,
      'cachescope.revalidate': text(e.declared.revalidate),
      'cachescope.fetch.forwarded': list(e.forwarded),
      'cachescope.key': e.cacheKey,
      'cachescope.tags.declared': list(e.declared.tags),
      'cachescope.tags.attached': list(e.tagsAttached),
      'cachescope.tags.attached_to': e.tagsAttachedTo,
      'cachescope.tags.dropped': list(e.tagsDropped),
      'cachescope.tags.drop_reason': e.dropReason,
      'cachescope.scope': e.scope,
      'cachescope.next.cache_status': e.nextStatus,
      'cachescope.next.cache_reason': e.nextReason,
      ...siteAttributes(e),
    },
  };
}

/** unstable_cache and 'use cache' calls: one span from the call to its result, which may create an entry. */
function cachedCallSpan(name: string, e: UnstableCacheEvent | UseCacheEvent, attributes: SpanSpec['attributes']): SpanSpec {
  return {
    name,
    start: e.ts,
    end: endOf(e.ts, e.durationMs),
    creates: created(e.decision, e.cacheKey),
    error: e.error,
    attributes: {
      ...callAttributes(e),
      'cachescope.key': e.cacheKey,
      'cachescope.scope': e.scope,
      'cachescope.error': e.error,
      ...siteAttributes(e),
      ...attributes,
    },
  };
}

function unstableCacheSpan(e: UnstableCacheEvent): SpanSpec {
  return cachedCallSpan(SPAN_NAMES.unstableCache, e, {
    'cachescope.unstable_cache.fn_name': e.fnName,
    'cachescope.tags': list(e.tags),
    'cachescope.revalidate': text(e.revalidate),
  });
}

function useCacheSpan(e: UseCacheEvent): SpanSpec {
  return cachedCallSpan(SPAN_NAMES.useCache, e, {
    'cachescope.use_cache.function_id': e.functionId,
    'cachescope.use_cache.handler': e.handlerKind,
    'cachescope.reason': e.reason,
    'cachescope.tags': list(e.tags),
    'cachescope.cache_life.stale': e.cacheLife?.stale,
    'cachescope.cache_life.revalidate': e.cacheLife?.revalidate,
    'cachescope.cache_life.expire': e.cacheLife?.expire,
  });
}

/** The call site as text, and under OpenTelemetry's semantic-convention names (code.*), project-relative. */
function siteAttributes({ callSite, site }: CallSiteFields): SpanSpec['attributes'] {
  if (!site) return { 'cachescope.call_site': callSite || undefined };
  return {
    'cachescope.call_site': callSite || undefined,
    'code.file.path': site.file,
    'code.line.number': site.line,
    'code.column.number': site.column,
    'code.function.name': site.fn,
  };
}

function revalidateCallSpan(e: RevalidateCallEvent): SpanSpec {
  return {
    name: SPAN_NAMES[e.api],
    start: e.ts,
    end: e.ts,
    error: e.error,
    attributes: {
      ...contextAttributes(e),
      'cachescope.request.kind': e.requestKind,
      'cachescope.revalidate.api': e.api,
      'cachescope.revalidate.args': list(e.args),
      'cachescope.tags': list(e.tags),
      'cachescope.revalidate.profile':
        e.profile === undefined ? undefined : typeof e.profile === 'string' ? e.profile : JSON.stringify(e.profile),
      ...siteAttributes(e),
      'cachescope.error': e.error,
      'cachescope.scope': e.scope,
    },
  };
}

function commitSpan(e: RevalidationCommitEvent): SpanSpec {
  const matched = e.matched ?? [];
  return {
    name: SPAN_NAMES.revalidation,
    start: e.ts,
    end: e.ts,
    attributes: {
      ...contextAttributes(e),
      'cachescope.request.kind': e.requestKind,
      'cachescope.revalidate.handler': e.handler,
      'cachescope.tags': list(e.tags),
      'cachescope.mode': e.mode,
      'cachescope.expire_seconds': e.expireSeconds,
      'cachescope.matched.count': matched.length,
      'cachescope.matched.keys': list(matched.map((m) => m.key)),
      'cachescope.matched.kinds': list([...new Set(matched.map((m) => m.kind))]),
      'cachescope.matched.routes': list([...new Set(matched.flatMap((m) => (m.route ? [m.route] : [])))]),
      'cachescope.matched.scopes': new Set(matched.flatMap((m) => (m.scope ? [m.scope] : []))).size,
    },
  };
}

/**
 * The span an event becomes, or undefined: cache I/O, dynamic API reads, seeds and internal errors
 * have no span of their own (the call spans carry their outcome), and a commit folded into another
 * one (one revalidation reaches every cache handler) is not repeated.
 */
export function describeSpan(e: CacheScopeEvent): SpanSpec | undefined {
  switch (e.type) {
    case 'fetch':
      return fetchSpan(e);
    case 'unstable-cache':
      return unstableCacheSpan(e);
    case 'use-cache':
      return useCacheSpan(e);
    case 'revalidate-call':
      return revalidateCallSpan(e);
    case 'revalidation-commit':
      return e.coalescedInto === undefined ? commitSpan(e) : undefined;
    default:
      return undefined;
  }
}

export function findingAttributes(f: Finding): Attributes {
  return {
    'cachescope.finding.id': f.id,
    'cachescope.finding.kind': f.kind,
    'cachescope.finding.severity': f.severity,
    'cachescope.finding.message': f.message,
    'cachescope.finding.fix': f.fix.text,
    'cachescope.finding.fix_pattern': f.fix.pattern,
    'cachescope.finding.tags': list(f.tags),
    'cachescope.finding.count': f.count,
  };
}
