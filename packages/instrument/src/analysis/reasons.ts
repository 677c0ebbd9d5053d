/**
 * Why a fetch was (not) cached, in Next's words and in ours.
 *
 * `deriveNextReason` re-computes the `cacheReason` string Next 16.0–16.4 would produce from the declared
 * options and the request context, mirroring `patch-fetch.js` 343–525 (research §2.1.1). It is the
 * fallback when Next's own reason is not observable (16.0–16.2, or no OTel provider in prod).
 * `explainReason` turns either string into a `ReasonCode` and a sentence a Next.js user understands.
 */
import type { CredentialHeader, ReasonCode, WorkUnit } from '../protocol/events.js';

/** Next's `INFINITE_CACHE` (0xfffffffe): `force-cache` / `revalidate: false`. */
export const INFINITE_CACHE = 4294967294;
/** Next's override for every data-cache lookup that returned nothing (research §2.1 766–772). */
export const HARD_REFRESH_REASON = 'cache-control: no-cache (hard refresh)';

/** Route segment `export const fetchCache = …`. */
export type SegmentFetchCache =
  | 'auto'
  | 'default-cache'
  | 'only-cache'
  | 'force-cache'
  | 'force-no-store'
  | 'default-no-store'
  | 'only-no-store';

/** What decides a fetch's cache reason besides Next's internals. */
export interface ReasonInputs {
  declared: { cache?: string; revalidate?: number | false };
  workUnit?: WorkUnit;
  /** The fetch ran during a Server Action request (Next sets `fetchCache = 'default-no-store'`). */
  inAction?: boolean;
  method?: string;
  /** Request-scoped headers the fetch forwarded. */
  forwarded?: CredentialHeader[];
  segmentFetchCache?: SegmentFetchCache;
  /** Segment `dynamic = 'force-dynamic'`. */
  forceDynamic?: boolean;
  /** `unstable_noStore()` was called in this render. */
  noStoreCall?: boolean;
  /** `next build` prerender (implicit build-time cache). */
  buildTimePrerender?: boolean;
  /** `revalidate` of the enclosing prerender / `'use cache'` store, when known. */
  enclosingRevalidate?: number;
}

export interface DerivedReason {
  /** The `cacheReason` string Next would report. */
  nextReason: string;
  /** Normalised revalidate Next would use; `0` means not cached. */
  finalRevalidate: number | undefined;
  /** Whether Next would look the fetch up in (and write it to) the data cache. */
  cacheable: boolean;
}

const COLLECTING_UNITS: ReadonlySet<WorkUnit> = new Set<WorkUnit>([
  'prerender',
  'prerender-runtime',
  'prerender-client',
  'validation-client',
  'prerender-legacy',
  'cache',
  'private-cache',
]);

/** Work units whose store collects the tags of inner fetches (patch-fetch 308–339). */
export function collectsFetchTags(workUnit: WorkUnit | undefined): boolean {
  return workUnit !== undefined && COLLECTING_UNITS.has(workUnit);
}

function pageFetchCacheMode(inputs: ReasonInputs): SegmentFetchCache | undefined {
  if (inputs.workUnit === 'unstable-cache') return 'force-no-store';
  if (inputs.inAction) return 'default-no-store';
  return inputs.segmentFetchCache;
}

/** Mirror of Next 16.4.6 `patch-fetch.js` 343–525. */
export function deriveNextReason(inputs: ReasonInputs): DerivedReason {
  const mode = pageFetchCacheMode(inputs);
  let cache = inputs.declared.cache;
  let revalidate: number | false | undefined = inputs.declared.revalidate;
  let reason = '';

  if (typeof cache === 'string' && revalidate !== undefined) {
    const conflicting = (cache === 'force-cache' && revalidate === 0) || (cache === 'no-store' && (revalidate === false || revalidate > 0));
    if (conflicting) {
      cache = undefined;
      revalidate = undefined;
    }
  }
  const explicitOptOut = cache === 'no-cache' || cache === 'no-store' || mode === 'force-no-store' || mode === 'only-no-store';
  const noConfigForceDynamic = !mode && !cache && !revalidate && Boolean(inputs.forceDynamic);
  if (cache === 'force-cache' && revalidate === undefined) revalidate = false;
  else if (explicitOptOut || noConfigForceDynamic) revalidate = 0;
  if (cache === 'no-cache' || cache === 'no-store') reason = `cache: ${cache}`;

  let finalRevalidate: number | undefined = revalidate === false ? INFINITE_CACHE : revalidate;

  const method = (inputs.method ?? 'GET').toUpperCase();
  const uncacheableRequest = (inputs.forwarded?.length ?? 0) > 0 || (method !== 'GET' && method !== 'HEAD');
  const noExplicitConfig = mode === undefined && (cache === undefined || cache === 'default') && revalidate === undefined;
  let autoNoCache = uncacheableRequest && inputs.enclosingRevalidate === 0;
  if (!autoNoCache && noExplicitConfig && !inputs.buildTimePrerender) autoNoCache = true;

  switch (mode) {
    case 'force-no-store':
      reason = 'fetchCache = force-no-store';
      break;
    case 'only-no-store':
      reason = 'fetchCache = only-no-store';
      break;
    case 'force-cache':
      if (revalidate === undefined || revalidate === 0) {
        reason = 'fetchCache = force-cache';
        finalRevalidate = INFINITE_CACHE;
      }
      break;
    default:
      break;
  }

  if (finalRevalidate === undefined) {
    if (mode === 'default-cache' && !inputs.noStoreCall) {
      finalRevalidate = INFINITE_CACHE;
      reason = 'fetchCache = default-cache';
    } else if (mode === 'default-no-store') {
      finalRevalidate = 0;
      reason = 'fetchCache = default-no-store';
    } else if (inputs.noStoreCall) {
      finalRevalidate = 0;
      reason = 'noStore call';
    } else if (autoNoCache) {
      finalRevalidate = 0;
      reason = 'auto no cache';
    } else {
      reason = 'auto cache';
      finalRevalidate = inputs.enclosingRevalidate ?? INFINITE_CACHE;
    }
  } else if (!reason) {
    reason = `revalidate: ${finalRevalidate}`;
  }
  return { nextReason: reason, finalRevalidate, cacheable: finalRevalidate !== undefined && finalRevalidate > 0 };
}

export interface ExplainContext {
  declared?: { cache?: string; revalidate?: number | false };
  workUnit?: WorkUnit;
  inAction?: boolean;
  method?: string;
  forwarded?: CredentialHeader[];
  forceDynamic?: boolean;
}

export interface Explanation {
  code: ReasonCode;
  text: string;
}

function forwardedClause(ctx: ExplainContext): string {
  const names = (ctx.forwarded ?? []).map((h) => (h === 'cookie' ? 'Cookie' : 'Authorization'));
  if (names.length === 0) return '';
  const headers = names.length === 1 ? `the ${names[0]} header` : `the ${names.join(' and ')} headers`;
  return `; it forwarded ${headers}, so the response is per-user`;
}

function methodClause(ctx: ExplainContext): string {
  const method = (ctx.method ?? 'GET').toUpperCase();
  return method === 'GET' || method === 'HEAD' ? '' : `; method ${method}`;
}

function isConflict(ctx: ExplainContext): boolean {
  const d = ctx.declared;
  if (!d || d.cache === undefined || d.revalidate === undefined) return false;
  return (d.cache === 'force-cache' && d.revalidate === 0) || (d.cache === 'no-store' && (d.revalidate === false || d.revalidate > 0));
}

/** A human sentence (and a stable code) for a Next `cacheReason` string. */
export function explainReason(nextReason: string, ctx: ExplainContext = {}): Explanation {
  if (nextReason === 'auto no cache') {
    let base: string;
    if (isConflict(ctx)) {
      base = `conflicting options cache: '${ctx.declared?.cache}' and revalidate: ${String(ctx.declared?.revalidate)} cancel each other (Next warns), which leaves no cache option: not cached`;
    } else if (ctx.workUnit === 'cache' || ctx.workUnit === 'private-cache') {
      base = "no cache option inside 'use cache': the fetch itself is not cached (the enclosing 'use cache' entry stores its result)";
    } else if (ctx.workUnit === 'request' || ctx.workUnit === undefined) {
      base = 'no cache option in a request render (Next 15+/16 default: not cached)';
    } else {
      base = 'no cache option (Next 15+/16 default: not cached)';
    }
    return { code: 'auto-no-cache', text: base + forwardedClause(ctx) + methodClause(ctx) };
  }
  if (nextReason === 'auto cache') {
    return { code: 'auto-cache', text: 'no cache option, cached implicitly by the build-time prerender' };
  }
  if (nextReason === 'cache: no-store') return { code: 'cache-no-store', text: "cache: 'no-store' on the fetch" };
  if (nextReason === 'cache: no-cache') return { code: 'cache-no-cache', text: "cache: 'no-cache' on the fetch" };
  if (nextReason === 'noStore call') {
    return { code: 'no-store-call', text: 'unstable_noStore() was called in this render' };
  }
  if (nextReason === HARD_REFRESH_REASON) {
    return { code: 'hard-refresh', text: 'Next found no usable entry in the data cache' };
  }
  const revalidate = /^revalidate: (\d+)$/.exec(nextReason);
  if (revalidate) {
    const n = Number(revalidate[1]);
    if (n === 0) {
      return {
        code: 'revalidate-0',
        text: ctx.forceDynamic
          ? "segment dynamic = 'force-dynamic' with no cache option on the fetch (revalidate: 0, not cached)"
          : 'revalidate: 0 (not cached)',
      };
    }
    if (n >= INFINITE_CACHE) {
      return { code: 'force-cache', text: "cache: 'force-cache' / revalidate: false (kept until revalidated)" };
    }
    return { code: 'revalidate', text: `revalidate: ${n}s` };
  }
  switch (nextReason) {
    case 'fetchCache = force-no-store':
      return ctx.workUnit === 'unstable-cache'
        ? {
            code: 'unstable-cache-force-no-store',
            text: 'inside unstable_cache every fetch is forced to no-store (fetchCache = force-no-store); the unstable_cache entry caches the result instead',
          }
        : { code: 'segment-force-no-store', text: "route segment config fetchCache = 'force-no-store'" };
    case 'fetchCache = only-no-store':
      return { code: 'segment-only-no-store', text: "route segment config fetchCache = 'only-no-store'" };
    case 'fetchCache = force-cache':
      return { code: 'segment-force-cache', text: "route segment config fetchCache = 'force-cache'" };
    case 'fetchCache = default-cache':
      return { code: 'segment-default-cache', text: "route segment config fetchCache = 'default-cache'" };
    case 'fetchCache = default-no-store':
      return ctx.inAction
        ? {
            code: 'action-default-no-store',
            text: "Server Action request: Next sets fetchCache = 'default-no-store', so a fetch without cache: 'force-cache' or revalidate is not cached",
          }
        : { code: 'segment-default-no-store', text: "route segment config fetchCache = 'default-no-store'" };
    default:
      return { code: 'unknown', text: `Next: ${nextReason}` };
  }
}
