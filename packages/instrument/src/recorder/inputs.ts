// Reading what the app passed to fetch without changing it: URL, method and the request-scoped
// headers, from a string, a URL, a Request, and a Headers object, a plain object or an array.
type HeaderSource = unknown;

export function urlOf(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  if (input && typeof input === 'object' && typeof (input as Request).url === 'string') return (input as Request).url;
  return String(input);
}

export function methodOf(input: unknown, init: { method?: string } | undefined): string {
  const method = init?.method ?? (input && typeof input === 'object' ? (input as Request).method : undefined) ?? 'GET';
  return String(method).toUpperCase();
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

/** The top frame of a stack the shims captured above their own frames: where the app called the API. */
export function callSiteOf(site: Error | undefined): string | undefined {
  const frame = site?.stack?.split('\n').find((line) => /^\s+at\s/.test(line));
  return frame?.trim().replace(/^at\s+/, '');
}
