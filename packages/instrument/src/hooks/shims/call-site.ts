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

// Shared on globalThis: Next loads the shims once per bundle (route chunks, server actions).
const SITES = Symbol.for('cachescope.call-sites-by-place');
const MAX_PLACES = 1_000;
const shared = globalThis as { [SITES]?: Map<string, Error> };
/** This bundle's handle on the shared map (a global's symbol property is a slow read). */
let sites: Map<string, Error> | undefined;

/**
 * The call site of a call that repeats on every request (fetch, unstable_cache, dynamic API reads). A
 * capture costs V8 microseconds on a deep render stack, so under `next start` the first call at a place
 * (its route, API and what it asks for, from `place()`) names it for the later ones, and the request
 * path pays a map lookup. In dev every call is captured: HMR moves code.
 */
export function repeatedCallSite(place: () => string, above: Function, frames = CALL_SITE_FRAMES): Error {
  // Bundlers inline NODE_ENV; unbundled (Node's own import of register()), a read costs ~0.1 us.
  if (process.env.NODE_ENV !== 'production') return callSite(above, frames);
  sites ??= shared[SITES] ??= new Map();
  const key = place();
  let site = sites.get(key);
  if (!site) {
    if (sites.size >= MAX_PLACES) sites.clear();
    site = callSite(above, frames);
    sites.set(key, site);
  }
  return site;
}
