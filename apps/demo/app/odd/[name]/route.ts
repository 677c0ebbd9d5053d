// Odd input for cachescope's safety tests (packages/instrument/test/safety), not linked from the nav:
// what real apps sometimes feed Next's cache APIs. Every case answers deterministic JSON (statuses,
// body hashes, the backend's fetch numbers, error messages) so a run with cachescope can be compared
// with a run without. `?run=<id>` keeps cached entries of one test run apart from earlier runs.
import { createHash } from 'node:crypto';
import { revalidateTag, unstable_cache } from 'next/cache';
import { after, connection, type NextRequest } from 'next/server';
import { backendUrl } from '@/lib/backend';

type Outcome = Record<string, unknown>;
type Case = (req: NextRequest, run: string) => Promise<Outcome[] | Response>;

const hash = (bytes: ArrayBuffer | Uint8Array) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex').slice(0, 16);
const blob = (query: string, run: string) => `${backendUrl()}/blob?${query}&run=${run}`;
const dashboard = (pattern: string, run: string) => `${backendUrl()}/dashboard?pattern=${pattern}&run=${run}`;
/** Deliberately not a string[]: what untyped (or `as any`) app code passes. */
const loose = <T>(value: unknown) => value as T;

async function attempt(label: string, body: () => Promise<Outcome | undefined> | Outcome | undefined): Promise<Outcome> {
  try {
    return { label, ok: true, ...((await body()) ?? {}) };
  } catch (error) {
    return { label, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function digest(res: Response): Promise<Outcome> {
  const bytes = await res.arrayBuffer();
  return { status: res.status, bytes: bytes.byteLength, sha: hash(bytes) };
}

async function fetchNo(res: Response): Promise<Outcome> {
  const data = (await res.json()) as { user: string; fetchNo: number };
  return { status: res.status, user: data.user, fetchNo: data.fetchNo };
}

const LONG_TAG = `odd:${'x'.repeat(300)}`;
const MANY_TAGS = Array.from({ length: 200 }, (_, i) => `odd:many:${i}`);

const CASES: Record<string, Case> = {
  // non-string, empty, over-long (> 256) and too many (> 128) tags
  tags: async (_req, run) =>
    Promise.all([
      attempt('fetch tags: non-strings', () =>
        fetch(blob('bytes=64&k=ns', run), { cache: 'force-cache', next: { tags: loose<string[]>([123, null, { a: 1 }, 'odd:ok']) } }).then(
          digest,
        ),
      ),
      attempt('fetch tags: empty', () => fetch(blob('bytes=64&k=empty', run), { cache: 'force-cache', next: { tags: [''] } }).then(digest)),
      attempt('fetch tags: over 256 chars', () =>
        fetch(blob('bytes=64&k=long', run), { cache: 'force-cache', next: { tags: [LONG_TAG] } }).then(digest),
      ),
      attempt('fetch tags: over 128', () =>
        fetch(blob('bytes=64&k=many', run), { cache: 'force-cache', next: { tags: MANY_TAGS } }).then(digest),
      ),
      attempt('fetch tags: not an array', () =>
        fetch(blob('bytes=64&k=notarray', run), { cache: 'force-cache', next: { tags: loose<string[]>('odd:string') } }).then(digest),
      ),
      attempt('unstable_cache: odd tags', () =>
        unstable_cache(async () => ({ value: `uc-${run}` }), ['odd-tags', run], {
          tags: loose<string[]>([42, '', LONG_TAG, ...MANY_TAGS]),
        })(),
      ),
    ]),

  // revalidateTag with what the types forbid; POST
  revalidate: async (_req, run) => [
    await attempt('revalidateTag(123)', () => void revalidateTag(loose<string>(123), 'max')),
    await attempt('revalidateTag(undefined)', () => void revalidateTag(loose<string>(undefined), 'max')),
    await attempt("revalidateTag('')", () => void revalidateTag('', 'max')),
    await attempt('revalidateTag(over 256)', () => void revalidateTag(LONG_TAG, 'max')),
    await attempt('revalidateTag(object)', () => void revalidateTag(loose<string>({ tag: 'odd' }), 'max')),
    await attempt('revalidateTag(tag, odd profile)', () => void revalidateTag(`odd:ok:${run}`, loose<string>({ expire: -1 }))),
    await attempt('revalidateTag(tag, unknown profile)', () => void revalidateTag(`odd:ok:${run}`, 'no-such-profile')),
  ],

  // Request and URL objects as fetch input
  'fetch-input': async (_req, run) =>
    Promise.all([
      attempt('Request', () => fetch(new Request(dashboard('odd-request', run), { method: 'POST', body: '{}' })).then(fetchNo)),
      attempt('Request + init', () =>
        fetch(new Request(blob('bytes=128&k=req', run)), { cache: 'force-cache', next: { tags: ['odd:req'] } }).then(digest),
      ),
      attempt('URL', () =>
        fetch(new URL(blob('bytes=128&k=url', run)), { cache: 'force-cache', next: { tags: ['odd:url'] } }).then(digest),
      ),
      attempt('URL, no-store', () => fetch(new URL(dashboard('odd-url', run)), { cache: 'no-store' }).then(fetchNo)),
    ]),

  // streamed, very large and binary bodies, both ways
  bodies: async (_req, run) =>
    Promise.all([
      attempt('streamed response, read in chunks', async () => {
        const res = await fetch(blob('bytes=200000&chunks=50&k=stream', run), { cache: 'no-store' });
        const reader = res.body!.getReader();
        const h = createHash('sha256');
        let bytes = 0;
        let chunks = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks++;
          bytes += value.byteLength;
          h.update(value);
        }
        return { status: res.status, bytes, sha: h.digest('hex').slice(0, 16), someChunks: chunks > 1 };
      }),
      attempt('5 MB response, force-cache (over the 2 MB entry limit)', () =>
        fetch(blob('bytes=5000000&k=large', run), { cache: 'force-cache' }).then(digest),
      ),
      attempt('binary response, force-cache', () =>
        fetch(blob('bytes=70000&binary=1&k=bin', run), { cache: 'force-cache', next: { tags: ['odd:bin'] } }).then(digest),
      ),
      attempt('streamed request body', () => {
        const parts = Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`part ${i} of a streamed body\n`));
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = parts.shift();
            if (next) controller.enqueue(next);
            else controller.close();
          },
        });
        return fetch(`${backendUrl()}/blob?run=${run}`, { method: 'POST', body, duplex: 'half', cache: 'no-store' } as RequestInit).then(
          (r) => r.json(),
        );
      }),
      attempt('binary request body', () => {
        const body = new Uint8Array(100_000).map((_, i) => (i * 13) & 255);
        return fetch(`${backendUrl()}/blob?run=${run}`, { method: 'POST', body, cache: 'no-store' }).then((r) => r.json());
      }),
    ]),

  // the route's own response is the upstream's binary stream, untouched
  passthrough: async (_req, run) => {
    const res = await fetch(blob('bytes=300000&binary=1&chunks=20&k=pass', run), { cache: 'no-store' });
    return new Response(res.body, { status: res.status, headers: { 'content-type': 'application/octet-stream' } });
  },

  // fetch after the response has been sent
  after: async (_req, run) => {
    after(async () => {
      await fetch(dashboard('odd-after', run), { method: 'POST', cache: 'no-store' });
      await fetch(blob('bytes=256&k=after', run), { cache: 'force-cache', next: { tags: ['odd:after'] } });
    });
    return [{ label: 'after() scheduled', ok: true }];
  },

  // a cached, tagged read, and its revalidation (the test fires several at once)
  'shared-read': async (_req, run) => [
    await attempt('tagged read', () =>
      fetch(dashboard('odd-shared', run), { cache: 'force-cache', next: { tags: [`odd:shared:${run}`] } }).then(fetchNo),
    ),
  ],
  'shared-revalidate': async (_req, run) => [
    await attempt('10 revalidations of one tag in one request', async () => {
      await Promise.all(Array.from({ length: 10 }, async () => revalidateTag(`odd:shared:${run}`, 'max')));
    }),
  ],

  // secrets the privacy test plants: ?token= on the request, a bearer token and a key part in headers
  secrets: async (req, run) => {
    const token = req.nextUrl.searchParams.get('token') ?? '';
    const bearer = req.headers.get('x-odd-bearer') ?? '';
    const keyPart = req.headers.get('x-odd-key') ?? '';
    const cookie = req.headers.get('cookie') ?? '';
    return Promise.all([
      attempt('Authorization + ?token= on a cached fetch', () =>
        fetch(`${dashboard('odd-secret', run)}&token=${token}`, {
          headers: { Authorization: `Bearer ${bearer}` },
          cache: 'force-cache',
          next: { tags: ['odd:secret'] },
        }).then(fetchNo),
      ),
      attempt('Request with Authorization and ?api_key=', () =>
        fetch(new Request(`${dashboard('odd-secret-req', run)}&api_key=${token}`, { headers: { authorization: `Bearer ${bearer}` } })).then(
          fetchNo,
        ),
      ),
      attempt('forwarded session cookie', () =>
        fetch(dashboard('odd-secret-cookie', run), { method: 'POST', headers: { Cookie: cookie } }).then(fetchNo),
      ),
      attempt('unstable_cache with a secret key part', () =>
        unstable_cache(async () => ({ value: `uc-secret-${run}` }), ['odd-secret-fn', keyPart], { tags: ['odd:secret-uc'] })(),
      ),
    ]);
  },
};

async function handle(req: NextRequest, { params }: { params: Promise<{ name: string }> }) {
  await connection();
  const { name } = await params;
  const run = req.nextUrl.searchParams.get('run') ?? 'default';
  const odd = CASES[name];
  if (!odd) return Response.json({ error: `no odd case ${name}`, cases: Object.keys(CASES) }, { status: 404 });
  const result = await odd(req, run);
  return result instanceof Response ? result : Response.json({ case: name, results: result });
}

export const GET = handle;
export const POST = handle;
