// Where the app called a Next API: captured without cachescope's own wrapper frames.

export const CALL_SITE_FRAMES = 4;

/** The app's call site: a stack captured without the frames of `above` (our wrapper) and anything it called. */
export function callSite(above: Function): Error {
  const site = { name: 'call site', message: '' } as Error;
  // A few frames, not the default ten (capturing fewer is most of the cost): the top one may be a
  // library's or Next's, passed over at flush time to reach the app's (src/recorder/source-sites.ts).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CALL_SITE_FRAMES;
  try {
    Error.captureStackTrace?.(site, above);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return site;
}
