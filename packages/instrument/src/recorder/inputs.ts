// Reading what the app passed to fetch without changing it: URL, method and the request-scoped
// headers, from a string, a URL, a Request, and a Headers object, a plain object or an array.
import type { RawFrame } from './source-sites.js';

type HeaderSource = unknown;

export function urlOf(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  if (input && typeof input === 'object' && typeof (input as Request).url === 'string') return (input as Request).url;
  return String(input);
}

/** The URL as Next reports it (`fetchUrl`: `new URL(input).href`); the raw text when it does not parse. */
export function hrefOf(input: unknown): string {
  const raw = urlOf(input);
  try {
    return new URL(raw).href;
  } catch {
    return raw;
  }
}

/** The method the call declared, as written (undefined: none, i.e. GET). */
export function declaredMethod(input: unknown, init: { method?: string } | undefined): unknown {
  return init?.method ?? (input && typeof input === 'object' ? (input as Request).method : undefined);
}

export function methodOf(input: unknown, init: { method?: string } | undefined): string {
  return String(declaredMethod(input, init) ?? 'GET').toUpperCase();
}

function headerFrom(source: HeaderSource, name: string): string | undefined {
  if (!source || typeof source !== 'object') return undefined;
  if (typeof (source as Headers).get === 'function') return (source as Headers).get(name) ?? undefined;
  if (Array.isArray(source)) {
    const pair = source.find((p) => Array.isArray(p) && String(p[0]).toLowerCase() === name);
    return pair ? String(pair[1]) : undefined;
  }
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (key.toLowerCase() === name && value !== undefined) return String(value);
  }
  return undefined;
}

/** Cookie and Authorization the call forwarded (read at flush time, never inside the app's call). */
export function credentialsOf(input: unknown, init: { headers?: unknown } | undefined): { cookie?: string; authorization?: string } {
  const requestHeaders = input && typeof input === 'object' ? (input as Request).headers : undefined;
  const pick = (name: string) => headerFrom(init?.headers, name) ?? headerFrom(requestHeaders, name);
  return { cookie: pick('cookie'), authorization: pick('authorization') };
}

export function stringTags(tags: unknown): string[] | undefined {
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : undefined;
}

/** V8's own line for a frame (`fn (file:line:col)`), without the host's stack formatting. */
function topFrame(_error: Error, frames: NodeJS.CallSite[]): string {
  return frames.length ? String(frames[0]) : '';
}

const callSites = new WeakMap<Error, string | undefined>();

/** V8's frames of a captured stack as data (compiled positions, 1-based). */
function rawFrames(_error: Error, frames: NodeJS.CallSite[]): RawFrame[] {
  return frames.map((f) => ({
    // code webpack dev evaluates has no file name, only its `//# sourceURL=webpack-internal:///…`
    file: f.getFileName() ?? f.getScriptNameOrSourceURL?.() ?? undefined,
    line: f.getLineNumber() ?? undefined,
    column: f.getColumnNumber() ?? undefined,
    fn: f.getFunctionName() ?? f.getMethodName() ?? undefined,
  }));
}

const callFrames = new WeakMap<Error, RawFrame[] | undefined>();

/**
 * The frames of a stack the shims captured (for source-map resolution), read as data the same way as
 * `callSiteOf`. Undefined when the stack was already formatted by other code.
 */
export function callFramesOf(site: Error | undefined): RawFrame[] | undefined {
  if (!site) return undefined;
  if (callFrames.has(site)) return callFrames.get(site);
  const installed = Error.prepareStackTrace;
  let stack: unknown;
  try {
    Error.prepareStackTrace = rawFrames as unknown as typeof Error.prepareStackTrace;
    stack = site.stack;
  } finally {
    Error.prepareStackTrace = installed;
  }
  const frames = Array.isArray(stack) ? (stack as RawFrame[]) : undefined;
  callFrames.set(site, frames);
  return frames;
}

/**
 * The top frame of a stack the shims captured above their own frames: where the app called the API.
 * V8 formats a captured stack on first read with whatever `Error.prepareStackTrace` is installed, and
 * Next installs a costly one (it walks every frame for source maps): read ours with V8's plain frame
 * text instead. Synchronous, so no other code sees the swap.
 */
export function callSiteOf(site: Error | undefined): string | undefined {
  if (!site) return undefined;
  // production shims share one site per route and API (src/hooks/shims/dynamic-api.ts): read each once
  if (callSites.has(site)) return callSites.get(site);
  const installed = Error.prepareStackTrace;
  let stack: unknown;
  try {
    Error.prepareStackTrace = topFrame;
    stack = site.stack;
  } finally {
    Error.prepareStackTrace = installed;
  }
  let frame: string | undefined;
  if (typeof stack === 'string') {
    // A stack read before (by other code) is already formatted text: take its first frame line.
    const line = stack.includes('\n') || /^\s+at\s/.test(stack) ? stack.split('\n').find((l) => /^\s+at\s/.test(l)) : stack;
    frame = line?.trim().replace(/^at\s+/, '') || undefined;
  }
  callSites.set(site, frame);
  return frame;
}
