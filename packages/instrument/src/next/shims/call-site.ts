// Where the app called a Next API: captured without cachescope's own wrapper frames.

/** The app's call site: a stack captured without the frames of `above` (our wrapper) and anything it called. */
export function callSite(above: Function): Error {
  const site = { name: 'call site', message: '' } as Error;
  Error.captureStackTrace?.(site, above);
  return site;
}

