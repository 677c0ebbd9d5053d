/**
 * Where an app's stream listens: the first free port from `CACHESCOPE_PORT` (default 7340) that no other app's
 * stream holds, within a small span. The server takes ports in this order and every client (overlay, CLI)
 * looks for its app's stream in the same order. No imports: the overlay loads it in the browser.
 */

/** The first port a stream tries (`CACHESCOPE_PORT` moves it). */
export const DEFAULT_STREAM_PORT = 7340;
/** How many ports a stream may take from the first: another app's stream or another program moves it to the next. */
export const STREAM_PORT_SPAN = 10;

/** The ports where an app's stream may be, in the order a stream takes them. */
export function streamPorts(first: number = DEFAULT_STREAM_PORT): number[] {
  const ports: number[] = [];
  for (let port = first; port < first + STREAM_PORT_SPAN && port <= 65535; port++) ports.push(port);
  return ports;
}

/** First port from the option, else `CACHESCOPE_PORT`, else 7340. */
export function resolvePort(option: number | undefined, env = globalThis.process?.env?.CACHESCOPE_PORT): number | null {
  const value = option ?? (env !== undefined && env.trim() !== '' ? Number(env) : DEFAULT_STREAM_PORT);
  return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : null;
}

/**
 * `globalThis[Symbol.for(OVERLAY_TOKEN_KEY)]` in the app's server process: the secret the overlay sends to
 * clear the stream or invalidate (the server side of `<CacheScope />` renders it into the app's own page).
 */
export const OVERLAY_TOKEN_KEY = 'cachescope.overlay-token';
