// Where the app called a Next API: captured without cachescope's own wrapper frames.

export const CALL_SITE_FRAMES = 4;

/** The app's call site: a stack captured without the frames of `above` (our wrapper) and anything it called. */
export function callSite(above: Function, frames = CALL_SITE_FRAMES): Error {
  const site = { name: 'call site', message: '' } as Error;
  // A few frames, not the default ten (capturing fewer is most of the cost): the top one may be a
  // library's or Next's, passed over at flush time to reach the app's (src/recorder/source-sites.ts).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = frames;
  try {
    Error.captureStackTrace?.(site, above);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return site;
}

const MAX_PLACES = 1_000;

/**
 * `memoize`: under `next start` (NODE_ENV is set before any module loads) code does not move, so a place's
 * first capture names its later calls. Read once: `process.env` is a slow read (~0.14 us) on every call.
 */
export const callSitePolicy = { memoize: process.env.NODE_ENV === 'production' };

type Level = Map<unknown, unknown>;

/** The call sites of one kind of call (fetch, unstable_cache…) by place: four levels of keys. */
export interface PlaceMemo {
  sites: Level;
  size: number;
}

/** Shared on globalThis: Next loads the shims once per bundle (route chunks, server actions). */
export function placeMemo(kind: string): PlaceMemo {
  const shared = globalThis as Record<symbol, PlaceMemo | undefined>;
  const slot = Symbol.for(`cachescope.call-sites.${kind}`);
  shared[slot] ??= { sites: new Map(), size: 0 };
  return shared[slot];
}

/** A list (tags, key parts) as one key of a place: its one item as is (no string built), else joined. */
export function listKey(list: unknown): unknown {
  if (!Array.isArray(list)) return undefined;
  return list.length === 1 ? list[0] : list.map(String).join('\u0000');
}

function level(map: Level, key: unknown): Level {
  let next = map.get(key) as Level | undefined;
  if (!next) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/**
 * The call site of a call that repeats on every request (fetch, unstable_cache, 'use cache', dynamic API
 * reads). A capture costs V8 microseconds on a deep render stack, so under `next start` the first call at
 * a place (its route, then what it asks for in up to three keys) names it for the later ones. The request
 * path pays four map lookups on keys that are mostly the app's own strings, the same every request (V8
 * keeps their hashes): no key is built. In dev every call is captured: HMR moves code.
 */
export function repeatedCallSite(
  memo: PlaceMemo,
  above: Function,
  route: unknown,
  what: unknown,
  how: unknown,
  detail: unknown,
  frames = CALL_SITE_FRAMES,
): Error {
  if (!callSitePolicy.memoize) return callSite(above, frames);
  const byDetail = ((memo.sites.get(route) as Level | undefined)?.get(what) as Level | undefined)?.get(how) as Level | undefined;
  const known = byDetail?.get(detail) as Error | undefined;
  if (known) return known;
  if (memo.size >= MAX_PLACES) {
    memo.sites.clear();
    memo.size = 0;
  }
  const site = callSite(above, frames);
  level(level(level(memo.sites, route), what), how).set(detail, site);
  memo.size++;
  return site;
}
