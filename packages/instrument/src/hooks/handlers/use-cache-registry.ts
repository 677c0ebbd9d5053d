// 'use cache' handlers live in Next's global registry (use-cache/handlers.js), created on the first
// request, after register(). We trap the registry's global slots and wrap each handler object in
// place, so the built-in handler, the user's configured ones, the dev private handler and the dev
// front handlers are all observed with no config. Every wrapper delegates unchanged.
import { getRecorder, guarded, now } from '../../recorder/global.js';
import type { HandlerName, LookupResult, RequestContext } from '../../recorder/facts.js';
import { placeMemo, repeatedCallSite } from '../shims/call-site.js';
import { judgeUseCacheEntry, lookupError } from './lookup-result.js';

const MAP_SYMBOL = Symbol.for('@next/cache-handlers-map');
const PRIVATE_SYMBOL = Symbol.for('@next/cache-handlers-private');
const DEV_FRONTS_SYMBOL = Symbol.for('@next/cache-handlers-dev-fronts');
const TRAPPED = Symbol.for('cachescope.use-cache-trap');

type UseCacheHandler = Record<string, any>;
const instrumented = new WeakSet<object>();
const noop = () => {};

function useCacheKeyParts(cacheKey: string): { functionId?: string } {
  // Keys serialise [buildId|'development', functionId, args…]; the id is a long hex string.
  const match = /[0-9a-f]{40,}/.exec(cacheKey);
  return { functionId: match?.[0] };
}

/** A 'use cache' handler read or write, from the entry's metadata (tags, timestamp, lifetimes). */
function recordIo(
  kind: 'cache-get' | 'cache-set',
  handler: HandlerName,
  cacheKey: string,
  entry: any,
  softTags: string[],
  ctx: RequestContext | undefined,
  result?: LookupResult,
  site?: Error,
): void {
  getRecorder()?.record({
    kind,
    handler,
    entryKind: 'USE_CACHE',
    key: cacheKey,
    tags: Array.isArray(entry?.tags) ? [...entry.tags] : [],
    softTags,
    result,
    url: useCacheKeyParts(cacheKey).functionId,
    revalidate: entry?.revalidate,
    expire: entry?.expire,
    stale: entry?.stale,
    createdAt: entry?.timestamp,
    site,
    t: now(),
    ctx: ctx ?? { requestKind: 'unknown' },
  });
}

/** A 'use cache' handler's get() that rejected (the app's own handler threw), as the lookup it was. */
function recordGetFailure(handler: HandlerName, cacheKey: string, softTags: string[], error: unknown): void {
  const recorder = getRecorder();
  recorder?.record({
    kind: 'cache-get',
    handler,
    entryKind: 'USE_CACHE',
    key: cacheKey,
    tags: [],
    softTags,
    url: useCacheKeyParts(cacheKey).functionId,
    failed: lookupError(error),
    t: now(),
    ctx: recorder.context(),
  });
}

/**
 * Where the app called the 'use cache' function. Next reaches the handler after awaits (key encoding), so
 * the app's frame is an async one ("at async Page"): the function awaiting the call. More frames than a
 * synchronous call site: Next's own async frames come first.
 */
const USE_CACHE_SITE_FRAMES = 10;
const USE_CACHE_PLACES = placeMemo('use-cache');
const useCacheSite = (route: string | undefined, cacheKey: string, above: Function) =>
  repeatedCallSite(USE_CACHE_PLACES, above, route, useCacheKeyParts(cacheKey).functionId, undefined, undefined, USE_CACHE_SITE_FRAMES);

function instrumentHandler(handler: UseCacheHandler, name: HandlerName): void {
  if (!handler || typeof handler !== 'object' || instrumented.has(handler)) return;
  instrumented.add(handler);
  const { get, set } = handler;
  // Older 16.x handler interfaces named the commit expireTags.
  const commitName =
    typeof handler.updateTags === 'function' ? 'updateTags' : typeof handler.expireTags === 'function' ? 'expireTags' : undefined;

  if (typeof get === 'function') {
    const observedGet = function (this: unknown, cacheKey: string, softTags: string[] = []) {
      const result = get.apply(this, arguments as unknown as unknown[]);
      const recorder = getRecorder();
      if (!recorder) return result; // paused or not registered: not even a side branch on the result
      const soft = Array.isArray(softTags) ? [...softTags] : [];
      const seen = guarded('use-cache.get', undefined, () => {
        const ctx = recorder.context();
        return { ctx, site: useCacheSite(ctx.route, cacheKey, observedGet) };
      });
      Promise.resolve(result).then(
        (entry: any) =>
          guarded('use-cache.get', undefined, () =>
            recordIo('cache-get', name, cacheKey, entry, soft, seen?.ctx, judgeUseCacheEntry(entry, soft), seen?.site),
          ),
        // The handler's get() rejected: Next passes the rejection to the app (the 'use cache' call throws);
        // cachescope says this handler failed, not that the call missed.
        (error: unknown) => guarded('use-cache.get', undefined, () => recordGetFailure(name, cacheKey, soft, error)),
      );
      return result;
    };
    handler.get = observedGet;
  }

  if (typeof set === 'function') {
    handler.set = function (this: unknown, cacheKey: string, pendingEntry: Promise<any>) {
      const recorder = getRecorder();
      if (!recorder) return set.apply(this, arguments as unknown as unknown[]);
      const ctx = guarded('use-cache.set', undefined, () => recorder.context());
      // Only the metadata is read; the entry's value stream is never touched.
      Promise.resolve(pendingEntry).then(
        (entry: any) => guarded('use-cache.set', undefined, () => recordIo('cache-set', name, cacheKey, entry, [], ctx)),
        noop,
      );
      return set.apply(this, arguments as unknown as unknown[]);
    };
  }

  if (commitName) {
    const commit = handler[commitName];
    handler[commitName] = function (this: unknown, tags: string[], durations?: { expire?: number }) {
      guarded('use-cache.updateTags', undefined, () => {
        const recorder = getRecorder();
        recorder?.record({
          kind: 'revalidation-commit',
          handler: name,
          tags: Array.isArray(tags) ? [...tags] : [String(tags)],
          durations: durations ? { ...durations } : undefined,
          t: now(),
          ctx: recorder.context(),
        });
      });
      return commit.apply(this, arguments as unknown as unknown[]);
    };
  }
}

function instrumentMap(map: unknown, prefix: string): void {
  if (!(map instanceof Map) || instrumented.has(map)) return;
  instrumented.add(map);
  for (const [kind, handler] of map) instrumentHandler(handler, `use-cache:${prefix}${String(kind)}`);
  const originalSet = map.set;
  map.set = function (this: Map<unknown, unknown>, kind: unknown, handler: unknown) {
    guarded('use-cache.registry', undefined, () => instrumentHandler(handler as UseCacheHandler, `use-cache:${prefix}${String(kind)}`));
    return originalSet.call(this, kind, handler);
  };
}

/** Watches a global slot: whatever Next assigns there gets instrumented. */
function trapGlobalSlot(symbol: symbol, onValue: (value: unknown) => void): void {
  const g = globalThis as Record<PropertyKey, unknown>;
  let value = g[symbol];
  if (value !== undefined) onValue(value);
  Object.defineProperty(globalThis, symbol, {
    configurable: true,
    enumerable: false,
    get: () => value,
    set: (next: unknown) => {
      value = next;
      guarded('use-cache.registry', undefined, () => onValue(next));
    },
  });
}

export function trapUseCacheRegistry(): void {
  const g = globalThis as Record<PropertyKey, unknown>;
  if (g[TRAPPED]) return;
  g[TRAPPED] = true;
  trapGlobalSlot(MAP_SYMBOL, (map) => instrumentMap(map, ''));
  trapGlobalSlot(PRIVATE_SYMBOL, (handler) => instrumentHandler(handler as UseCacheHandler, 'use-cache:private'));
  trapGlobalSlot(DEV_FRONTS_SYMBOL, (map) => instrumentMap(map, 'front:'));
}
