/** `POST /invalidate` on the stream (next dev): a tag revalidated or expired, or a path revalidated, as a Server Action would. */
import { endpoint, type FetchLike } from '@cachescope/instrument/protocol';
import { TOKEN_HEADER } from './http.js';

export type InvalidateTarget = { tag: string; mode: 'revalidate' | 'expire' } | { path: string; type?: 'page' | 'layout'; mode: 'expire' };

const IMPLICIT_PREFIX = '_N_T_';

/** The revalidatePath call behind an implicit tag: `_N_T_/blog/layout` → `/blog`, `layout`. */
export function pathOfImplicitTag(tag: string): { path: string; type?: 'page' | 'layout' } | null {
  if (!tag.startsWith(`${IMPLICIT_PREFIX}/`)) return null;
  const rest = tag.slice(IMPLICIT_PREFIX.length);
  const typed = /^(.*)\/(layout|page)$/.exec(rest);
  if (typed) return { path: typed[1] || '/', type: typed[2] as 'page' | 'layout' };
  return { path: rest };
}

export async function postInvalidate(base: string, token: string, target: InvalidateTarget, fetchImpl: FetchLike = fetch): Promise<void> {
  const res = await fetchImpl(endpoint(base, '/invalidate'), {
    method: 'POST',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
    body: JSON.stringify(target),
  });
  if (!res.ok) throw new Error(`POST /invalidate answered ${res.status}: ${(await res.text()).trim()}`);
}
