/**
 * How the MCP server and the test assertions reach an app's stream: find it (as the CLI does), read its
 * snapshot, post a command. The one place these clients touch the stream's transport.
 */
import { request } from 'node:http';
import type { Snapshot } from '../protocol/events.js';
import { listStreams, pickAppStream } from './app-streams.js';
import { resolveFirstPort, resolveUrl } from './args.js';
import { loadSnapshot } from './load-snapshot.js';

export interface StreamLocation {
  /** Base URL, no trailing slash. */
  url: string;
  /** Said when the pick is not obvious (several streams, none of this folder's app). */
  note?: string;
}

export interface FindOptions {
  /** A stream named outright (`http://127.0.0.1:7341`); else the stream of the app in `cwd`. */
  url?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The stream of the app in `cwd` (or `url`); throws with the CLI's explanation when there is none. */
export async function findAppStream(options: FindOptions = {}): Promise<StreamLocation> {
  const errors: string[] = [];
  const named = options.url ? resolveUrl({ url: options.url }, errors) : undefined;
  const firstPort = resolveFirstPort(options.env ?? process.env, errors);
  if (errors.length > 0) throw new Error(`cachescope: ${errors.join('; ')}`);
  if (named) return { url: named };
  const picked = pickAppStream(await listStreams(firstPort), options.cwd ?? process.cwd(), firstPort);
  if ('error' in picked) throw new Error(picked.error);
  return { url: picked.stream.url, note: picked.note };
}

/** `GET /snapshot` of the stream; throws with a readable message. */
export async function readSnapshot(url: string): Promise<Snapshot> {
  const loaded = await loadSnapshot({ url });
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.snapshot;
}

/** The id of the newest event the stream holds (0 before the first): "everything after this". */
export function newestEventId(snapshot: Snapshot): number {
  return snapshot.events.at(-1)?.id ?? 0;
}

export interface PostResult {
  status: number;
  body: string;
}

/** `POST <path>` with an optional JSON body, as a local process (no Origin). */
export function postToStream(url: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) headers['content-type'] = 'application/json';
    const req = request(new URL(path, `${url}/`), { method: 'POST', agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`POST ${path} timed out`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cachescope: cannot reach ${url} (${error.code ?? error.message})`)),
    );
    req.end(payload);
  });
}
