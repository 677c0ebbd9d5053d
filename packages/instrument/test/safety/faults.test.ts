// Faults: cachescope's own (stream port taken, stream clients that vanish or never read) and the app's
// (its own cache handler throws or hangs). Each time the app must keep answering exactly as it would
// without cachescope, cachescope must say what went wrong once, and nothing may crash.
// Slow SSE consumers are covered in depth by test/unit/stream/slow-consumer.test.ts (caps, gaps,
// disconnect after slowClientTimeoutMs) and stream-server.test.ts; here they run against a real Next.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActionId, freePort, freePortRange, freshSession, getPage, sleep, startDemo, type DemoServer } from '@cachescope/harness';
import type { FetchEvent, UnstableCacheEvent } from '../../src/protocol/events.js';
import {
  blocks,
  boundedAction,
  boundedPage,
  snapshotOf,
  startPair,
  step,
  type Pair,
  type Side,
  type StepOutcome,
  type StepRecord,
} from './support.js';

const PROD_DIST = '.next-safety';

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, 'g')) ?? []).length;

describe('the stream port is taken by a program that is not cachescope', () => {
  let other: Server | undefined;
  let demo: DemoServer | undefined;
  let port = 0;

  beforeAll(async () => {
    other = createServer((_req, res) => res.end('not cachescope'));
    port = await freePortRange(10);
    await new Promise<void>((r) => other!.listen(port, '127.0.0.1', r));
    demo = await startDemo({ mode: 'prod', distDir: PROD_DIST, env: { CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(port) } });
  });
  afterAll(async () => {
    await demo?.stop();
    await new Promise((r) => other?.close(r));
  });

  it('the app serves as usual, the stream moves to the next port and says so once, and the other program keeps its port', async () => {
    const alice = freshSession('alice');
    for (const path of ['/pattern-1', '/pattern-2', '/broken', '/pattern-1']) {
      const page = await getPage(demo!.baseUrl, path, alice);
      expect(page.status).toBe(200);
      expect(blocks(page.dashboards)).toEqual([expect.stringMatching(/^dashboard alice #\d+$/)]);
    }
    const logs = demo!.logs();
    expect(count(logs, /passed over \d+: another program/)).toBe(1);
    expect(logs).toContain(`on http://127.0.0.1:${port + 1} (GET /events, /snapshot; POST /clear); passed over ${port}: another program`);
    expect(demo!.streamUrl()).toBe(`http://127.0.0.1:${port + 1}`);
    expect(await (await fetch(`http://127.0.0.1:${port}/snapshot`)).text()).toBe('not cachescope');
    const snapshot = (await (await fetch(`http://127.0.0.1:${port + 1}/snapshot`)).json()) as { events: unknown[] };
    expect(snapshot.events.length).toBeGreaterThan(0);
  });
});

describe('stream clients that vanish mid-batch or never read, against a real next start', () => {
  let demo: DemoServer | undefined;
  let streamUrl = '';
  let streamPort = 0;

  beforeAll(async () => {
    streamPort = await freePort();
    streamUrl = `http://127.0.0.1:${streamPort}`;
    demo = await startDemo({ mode: 'prod', distDir: PROD_DIST, env: { CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(streamPort) } });
  });
  afterAll(async () => {
    await demo?.stop();
  });

  it('the app and the stream keep going', async () => {
    const alice = freshSession('alice');
    await getPage(demo!.baseUrl, '/pattern-1', alice); // some events to replay

    // A client that sends its request and never reads a byte (its socket stays paused).
    const stalled = connect(streamPort, '127.0.0.1');
    stalled.on('error', () => {});
    stalled.write(`GET /events?lastEventId=0 HTTP/1.1\r\nHost: 127.0.0.1:${streamPort}\r\nAccept: text/event-stream\r\n\r\n`);
    stalled.pause();

    // Clients that hang up in the middle of a replay or a batch, while requests keep the events coming.
    const vanishing = Array.from(
      { length: 20 },
      (_, i) =>
        new Promise<void>((resolve) => {
          const req = request(`${streamUrl}/events?lastEventId=0`, (res) => {
            res.once('data', () => setTimeout(() => req.destroy(), i % 5));
          });
          req.on('error', () => resolve());
          req.on('close', () => resolve());
          req.end();
        }),
    );
    const traffic = Array.from({ length: 30 }, (_, i) =>
      getPage(demo!.baseUrl, ['/pattern-1', '/broken', '/pattern-2'][i % 3]!, freshSession('bob')),
    );
    const pages = await Promise.all(traffic);
    await Promise.all(vanishing);
    expect(pages.every((p) => p.status === 200 && p.dashboards.length === 1)).toBe(true);

    // A new client still gets the hello and live batches; the snapshot still answers.
    const frames: string[] = [];
    const live = request(`${streamUrl}/events`, (res) => res.on('data', (d: Buffer) => frames.push(d.toString())));
    live.on('error', () => {});
    live.end();
    await sleep(300);
    await getPage(demo!.baseUrl, '/pattern-3', alice);
    const deadline = Date.now() + 5_000;
    while (!frames.join('').includes('"route":"/pattern-3"') && Date.now() < deadline) await sleep(100);
    live.destroy();
    stalled.destroy();
    expect(frames.join('')).toMatch(/event: hello/);
    expect(frames.join('')).toContain('"route":"/pattern-3"');
    const snap = await snapshotOf(streamUrl);
    expect(snap.events.length).toBeGreaterThan(50);
    expect(snap.internalErrors ?? []).toEqual([]);
    expect(demo!.logs()).not.toMatch(/Error|unhandled/i);
  });
});

// ─── the app's own cache handler misbehaves (apps/demo/lib/faulty-cache-handler.cjs) ───

async function boundedJson(url: string, init: RequestInit, ms: number): Promise<StepOutcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
    const text = await res.text();
    let body: unknown = text.slice(0, 300);
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON (an error page): compare its start */
    }
    return { status: res.status, body };
  } catch {
    return { timedOut: true };
  }
}

const FAULTS = ['throw-get', 'hang-get', 'throw-set', 'hang-set', 'throw-revalidate', 'hang-revalidate'] as const;
const HANDLER_ERROR = /demo faulty cache handler: \w+ failed/;

describe.each(FAULTS)("the app's own cache handler: %s", (fault) => {
  let pair: Pair | undefined;
  const trace: Record<Side['label'], StepRecord[]> = { with: [], plain: [] };
  const hang = fault.startsWith('hang');
  const ms = hang ? 4_000 : 30_000;

  beforeAll(async () => {
    pair = await startPair({ mode: 'prod', distDir: PROD_DIST, env: { DEMO_FAULTY_HANDLER: fault } });
    // Action ids from the page shell (the data part may never arrive).
    const warm = freshSession('carol');
    for (const side of pair.both) {
      const page = await boundedPage(side.demo.baseUrl, '/pattern-1', warm, 4_000);
      for (const action of ['refresh-mine', 'update-mine']) {
        const id = findActionId(page.html, action);
        if (!id) throw new Error(`no ${action} on the /pattern-1 shell (${side.label}): ${page.html.slice(0, 300)}`);
        side.actionIds.set(`p1 ${action}`, id);
      }
    }
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('the app answers exactly as it does without cachescope, error included', async () => {
    const p = pair!;
    const alice = freshSession('alice');
    const run = `${fault}-${Date.now()}`;
    const go = (name: string, body: (side: Side) => Promise<StepOutcome>) => step(p, name, body, trace, 400);
    const page = (path: string) => async (s: Side) => {
      const { html: _html, ...outcome } = await boundedPage(s.demo.baseUrl, path, alice, ms);
      return outcome;
    };
    const act = (action: string) => (s: Side) => boundedAction(s, '/pattern-1', s.actionIds.get(`p1 ${action}`)!, alice, ms);
    const odd =
      (name: string, method = 'GET') =>
      (s: Side) =>
        boundedJson(`${s.demo.baseUrl}/odd/${name}?run=${run}`, { method }, ms);

    await go('GET /pattern-1', page('/pattern-1'));
    await go('GET /pattern-1 again', page('/pattern-1'));
    await go('refresh-mine', act('refresh-mine'));
    await go('GET /pattern-1 after refresh-mine', page('/pattern-1'));
    await go('update-mine', act('update-mine'));
    await go('GET /pattern-1 after update-mine', page('/pattern-1'));
    await go('GET /odd/shared-read', odd('shared-read'));
    await go('POST /odd/shared-revalidate', odd('shared-revalidate', 'POST'));
    await go('GET /odd/shared-read again', odd('shared-read'));
    for (const path of ['/pattern-2', '/pattern-3', '/broken', '/']) await go(`GET ${path}`, page(path));

    mkdirSync('test-artifacts', { recursive: true });
    const snap = await snapshotOf(p.with.streamUrl!).catch((error: unknown) => String(error));
    writeFileSync(`test-artifacts/safety-fault-${fault}.json`, JSON.stringify({ trace, snapshot: snap }, null, 1));
    for (let i = 0; i < trace.plain.length; i++) expect(trace.with[i], trace.plain[i]!.step).toEqual(trace.plain[i]);
    expect(p.with.demo.backend.stats()).toEqual(p.plain.demo.backend.stats());
    // The fault really happened (else this compares two healthy apps).
    const at = (name: string) => trace.plain.find((r) => r.step === name)!;
    switch (fault) {
      case 'throw-get':
        expect(at('GET /pattern-1').outcome.blocks).toEqual([]); // the app's error boundary, no data
        break;
      case 'hang-get':
        expect(at('GET /pattern-1').outcome.timedOut).toBe(true);
        break;
      case 'throw-set':
      case 'hang-set':
        expect(at('GET /pattern-1 again').hits).toEqual({ 'p1/alice': 1 }); // nothing was stored
        break;
      case 'throw-revalidate':
        expect(count(p.plain.demo.logs(), HANDLER_ERROR)).toBeGreaterThan(0);
        break;
      case 'hang-revalidate':
        expect(at('refresh-mine').outcome.timedOut).toBe(true);
        break;
    }
    // The app's error reached Next's log exactly as often as without cachescope.
    expect(count(p.with.demo.logs(), HANDLER_ERROR)).toBe(count(p.plain.demo.logs(), HANDLER_ERROR));

    // cachescope tells the call failed, and why: a failed lookup is not a dedupe, and drops no tag.
    if (typeof snap === 'string') throw new Error(snap);
    const calls = snap.events.filter((e): e is UnstableCacheEvent | FetchEvent => e.type === 'unstable-cache' || e.type === 'fetch');
    for (const c of calls.filter((c) => c.type === 'unstable-cache' && c.error !== undefined))
      expect(c.decision, JSON.stringify(c)).toBe('skip');
    if (fault === 'throw-get') {
      const p1 = calls.filter((c) => c.type === 'unstable-cache' && c.route === '/pattern-1');
      expect(p1.length).toBeGreaterThan(0);
      for (const c of p1) expect(c).toMatchObject({ decision: 'skip', error: expect.stringMatching(HANDLER_ERROR) });
      const shared = calls.filter((c): c is FetchEvent => c.type === 'fetch' && c.url.includes('pattern=odd-shared'));
      expect(shared.length).toBe(2);
      for (const c of shared) {
        expect(c).toMatchObject({
          decision: 'skip',
          requestKind: 'route-handler',
          error: expect.stringMatching(HANDLER_ERROR),
          tagsDropped: [],
        });
        expect(c.reason).toMatch(/cache handler's get\(\) failed/);
      }
    }
  }, 300_000);

  it('nothing crashed, and cachescope still answers', async () => {
    const p = pair!;
    for (const side of p.both) {
      const page = await getPage(side.demo.baseUrl, '/pattern-3', freshSession('bob'), 10_000);
      expect(page.status).toBe(200);
      expect(blocks(page.dashboards)).toEqual(['dashboard bob #1', 'dashboard-summary bob #1']);
    }
    const snap = await snapshotOf(p.with.streamUrl!);
    expect(snap.events.some((e) => e.type === 'fetch' && e.route === '/pattern-3')).toBe(true);
    expect(snap.events.filter((e) => e.type === 'internal-error')).toEqual([]);
  });
});
