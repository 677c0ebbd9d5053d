/** What the stream's clients share about `fetch`: its type, URL building and what a failure says. */

export type FetchLike = typeof fetch;

/** `base` + `path`, tolerating a trailing slash on the base. */
export function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** A failed fetch in a few words: Node's network code (`ECONNREFUSED`) when it has one, else the message. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error.message || error.name;
}
