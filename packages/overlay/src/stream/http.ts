/** The stream server's plain HTTP endpoints: `GET /snapshot` and `POST /clear`. */
import { endpoint, type FetchLike } from '@cachescope/instrument/protocol';
import type { Snapshot } from '../store/types.js';

/** `GET /snapshot`; `withEvents: false` asks for the analysis only (the client follows the events on the stream). */
export async function fetchSnapshot(
  base: string,
  fetchImpl: FetchLike,
  signal?: AbortSignal,
  withEvents = true,
): Promise<Partial<Snapshot>> {
  const res = await fetchImpl(endpoint(base, withEvents ? '/snapshot' : '/snapshot?events=0'), { cache: 'no-store', signal });
  if (!res.ok) throw new Error(`GET /snapshot answered ${res.status}`);
  const body = (await res.json()) as Partial<Snapshot>;
  if (typeof body !== 'object' || body === null) throw new Error('GET /snapshot did not answer an object');
  return body;
}

/** The header that carries the app's token (the stream refuses a web page's POST without it). */
export const TOKEN_HEADER = 'X-Cachescope-Token';

export async function postClear(base: string, fetchImpl: FetchLike, token?: string): Promise<void> {
  const res = await fetchImpl(endpoint(base, '/clear'), {
    method: 'POST',
    cache: 'no-store',
    headers: token ? { [TOKEN_HEADER]: token } : undefined,
  });
  if (!res.ok) throw new Error(`POST /clear answered ${res.status}`);
}
