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

/** The call sites of one kind of call (fetch, unstable_cache…) by place: three levels of keys. */
export interface PlaceMemo {
  sites: Map<unknown, Map<unknown, Map<unknown, Error>>>;
  size: number;
}

/** Shared on globalThis: Next loads the shims once per bundle (route chunks, server actions). */
export function placeMemo(kind: string): PlaceMemo {
  const shared = globalThis as Record<symbol, PlaceMemo | undefined>;
  const slot = Symbol.for(`cachescope.call-sites.${kind}`);
  shared[slot] ??= { sites: new Map(), size: 0 };
  return shared[slot];
}

/**
 * The call site of a call that repeats on every request (fetch, unstable_cache, 'use cache', dynamic API
 * reads). A capture costs V8 microseconds on a deep render stack, so under `next start` the first call at
 * a place (its route, then what it asks for in two keys) names it for the later ones: the request path pays
 * three map lookups, on keys that are mostly the same strings every request (V8 keeps their hashes). In
 * dev every call is captured: HMR moves code.
 */
export function repeatedCallSite(
  memo: PlaceMemo,
  above: Function,
  route: unknown,
  what: unknown,
  detail: unknown,
  frames = CALL_SITE_FRAMES,
): Error {
  if (!callSitePolicy.memoize) return callSite(above, frames);
  const known = memo.sites.get(route)?.get(what)?.get(detail);
  if (known) return known;
  if (memo.size >= MAX_PLACES) {
    memo.sites.clear();
    memo.size = 0;
  }
  const site = callSite(above, frames);
  let byWhat = memo.sites.get(route);
  if (!byWhat) {
    byWhat = new Map();
    memo.sites.set(route, byWhat);
  }
  let byDetail = byWhat.get(what);
  if (!byDetail) {
    byDetail = new Map();
    byWhat.set(what, byDetail);
  }
  byDetail.set(detail, site);
  memo.size++;
  return site;
}
