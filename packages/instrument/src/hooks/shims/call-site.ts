// Where the app called a Next API: captured without cachescope's own wrapper frames.

/** The app's call site: a stack captured without the frames of `above` (our wrapper) and anything it called. */
export function callSite(above: Function): Error {
  const site = { name: 'call site', message: '' } as Error;
  // Only the top frame is shown; capturing one frame instead of the default ten is most of the cost.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    Error.captureStackTrace?.(site, above);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return site;
}

