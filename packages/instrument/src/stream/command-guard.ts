/**
 * Who may change things (`POST /clear`, `/invalidate`, `/pause`, `/resume`). Any loopback page may read the
 * stream, but only these may act on it:
 * - a local process (no `Origin`: browsers send one on every POST, so a request without it is not a web page);
 * - the stream's own page (the standalone window it serves: `Origin` is the stream's own origin);
 * - the app's overlay, which sends the token the app's server rendered into its page (`X-Cachescope-Token`).
 *   Another site open in the browser, loopback or not, cannot read that page, so it cannot send the token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-cachescope-token';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** null when allowed, else why not. `checkRequest` (security.ts) has already passed Host and Origin. */
export function commandRefusal(req: IncomingMessage, token: string | undefined): string | null {
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (origin.toLowerCase() === `http://${String(req.headers.host ?? '').toLowerCase()}`) return null;
  const sent = req.headers[TOKEN_HEADER];
  const value = Array.isArray(sent) ? sent[0] : sent;
  if (token && value && sameSecret(value, token)) return null;
  return value ? 'wrong token' : `a web page needs the app's token (${TOKEN_HEADER}) to change the stream`;
}
