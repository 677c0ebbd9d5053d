// Odd input (apps/demo/app/odd/[name]/route.ts): non-string, empty, over-long and too many tags,
// Request and URL objects as fetch input, streamed / very large / binary bodies both ways, fetch
// inside after(), concurrent revalidations of one tag. The app must answer exactly as without
// cachescope (same JSON, same bytes, same backend hits), and cachescope must stay sane: its snapshot,
// stream and CLI keep working, its events hold only strings where tags go, one event per call.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheScopeEvent, FetchEvent, RevalidateCallEvent } from '../../src/protocol/events.js';
import { sleep } from '@cachescope/harness';
import { snapshotOf, startPair, step, type Pair, type Side, type StepOutcome, type StepRecord } from './support.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

async function oddJson(side: Side, name: string, run: string, method = 'GET'): Promise<StepOutcome> {
  const res = await fetch(`${side.demo.baseUrl}/odd/${name}?run=${run}`, { method, signal: AbortSignal.timeout(60_000) });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

async function oddBytes(side: Side, name: string, run: string): Promise<StepOutcome> {
  const res = await fetch(`${side.demo.baseUrl}/odd/${name}?run=${run}`, { signal: AbortSignal.timeout(60_000) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: bytes.byteLength,
    sha: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Every place an event carries tags. */
function tagLists(e: CacheScopeEvent): unknown[][] {
  const r = e as unknown as Record<string, unknown>;
  const lists = [r.tags, r.softTags, r.tagsAttached, r.tagsDropped, (r.declared as { tags?: unknown } | undefined)?.tags];
  return lists.filter((l): l is unknown[] => Array.isArray(l));
}

describe('odd input, with and without cachescope (next start)', () => {
  let pair: Pair | undefined;
  const trace: Record<Side['label'], StepRecord[]> = { with: [], plain: [] };
  const run = `odd-${Date.now()}`;

  beforeAll(async () => {
    pair = await startPair({ mode: 'prod', distDir: '.next-safety' });
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('the app answers every odd call exactly as without cachescope', async () => {
    const p = pair!;
    const go = (name: string, body: (side: Side) => Promise<StepOutcome>) => step(p, name, body, trace, 500);
    await go('GET /odd/tags', (s) => oddJson(s, 'tags', run));
    await go('GET /odd/tags again', (s) => oddJson(s, 'tags', run));
    await go('POST /odd/revalidate', (s) => oddJson(s, 'revalidate', run, 'POST'));
    await go('GET /odd/tags after the odd revalidations', (s) => oddJson(s, 'tags', run));
    await go('GET /odd/fetch-input', (s) => oddJson(s, 'fetch-input', run));
    await go('GET /odd/fetch-input again', (s) => oddJson(s, 'fetch-input', run));
    await go('GET /odd/bodies', (s) => oddJson(s, 'bodies', run));
    await go('GET /odd/bodies again', (s) => oddJson(s, 'bodies', run));
    await go('GET /odd/passthrough (binary stream)', (s) => oddBytes(s, 'passthrough', run));
    await go('GET /odd/after', (s) => oddJson(s, 'after', run));
    await go('GET /odd/shared-read', (s) => oddJson(s, 'shared-read', run));
    await go('GET /odd/shared-read again', (s) => oddJson(s, 'shared-read', run));
    await go('10 concurrent POST /odd/shared-revalidate', async (s) => ({
      all: await Promise.all(Array.from({ length: 10 }, () => oddJson(s, 'shared-revalidate', run, 'POST'))),
    }));
    await go('GET /odd/shared-read after the revalidations', (s) => oddJson(s, 'shared-read', run));
    await go('GET /odd/shared-read once more', (s) => oddJson(s, 'shared-read', run));

    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/safety-odd-input.json', JSON.stringify(trace, null, 1));
    for (let i = 0; i < trace.plain.length; i++) expect(trace.with[i], trace.plain[i]!.step).toEqual(trace.plain[i]);
    expect(p.with.demo.backend.stats()).toEqual(p.plain.demo.backend.stats());

    // The odd calls really ran: bytes arrived whole, after() fetched once the response was gone, and the
    // revalidations of the shared tag took effect.
    const at = (name: string) => trace.plain.find((r) => r.step === name)!;
    expect(at('GET /odd/passthrough (binary stream)').outcome).toMatchObject({ status: 200, bytes: 300_000 });
    expect(at('GET /odd/after').hits).toMatchObject({ 'odd-after/anonymous': 1, 'blob/anonymous': 1 });
    const bodies = (at('GET /odd/bodies').outcome.body as { results: { ok: boolean; bytes?: number }[] }).results;
    expect(bodies.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(bodies[1]!.bytes).toBe(5_000_000);
    const fetchNo = (name: string) => (at(name).outcome.body as { results: { fetchNo: number }[] }).results[0]!.fetchNo;
    expect(fetchNo('GET /odd/shared-read again')).toBe(fetchNo('GET /odd/shared-read')); // cached
    expect(fetchNo('GET /odd/shared-read once more')).toBeGreaterThan(fetchNo('GET /odd/shared-read')); // revalidated
  }, 300_000);

  it("cachescope's snapshot, stream and CLI stay sane", async () => {
    const streamUrl = pair!.with.streamUrl!;
    await sleep(300);
    const snap = await snapshotOf(streamUrl); // a non-string tag once broke this for good (500 until cleared)
    expect(snap.internalErrors ?? []).toEqual([]);
    expect(snap.events.filter((e) => e.type === 'internal-error')).toEqual([]);
    for (const e of snap.events)
      for (const list of tagLists(e)) for (const t of list) expect(typeof t, JSON.stringify(e).slice(0, 300)).toBe('string');
    for (const t of snap.tags) expect(typeof t.tag).toBe('string');

    const odd = snap.events.filter((e): e is FetchEvent => e.type === 'fetch' && e.route === '/odd/[name]');
    const calls = (part: string) => odd.filter((e) => e.url.includes(part) && e.url.includes(run));
    expect(odd.length).toBeGreaterThan(20);
    for (const e of odd) expect(e.requestKind).toBe('route-handler'); // not 'action' (Next's route is '/odd/[name]')
    // Request and URL inputs are read correctly, one event per call (the case ran twice).
    expect(calls('pattern=odd-request').map((e) => e.method)).toEqual(['POST', 'POST']);
    expect(calls('k=url&')).toHaveLength(2);
    expect(calls('k=req&')).toHaveLength(2);
    expect(calls('k=large&')).toHaveLength(2);
    expect(calls('k=bin&')).toHaveLength(2);
    // A fetch after the response ended is still recorded, once.
    expect(calls('pattern=odd-after')).toHaveLength(1);
    // Non-string tags are left out of what cachescope shows as declared; strings stay.
    const ns = calls('k=ns&')[0]!;
    expect(ns.declared.tags).toEqual(['odd:ok']);
    // revalidateTag with nonsense is shown as called, with no tags.
    const revs = snap.events.filter((e): e is RevalidateCallEvent => e.type === 'revalidate-call' && e.route === '/odd/[name]');
    expect(revs.find((r) => r.args[0] === '123')).toMatchObject({ api: 'revalidateTag', tags: [] });

    // The SSE replay is valid JSON frame by frame.
    const controller = new AbortController();
    const res = await fetch(`${streamUrl}/events?lastEventId=0`, { signal: controller.signal });
    let text = '';
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    const until = Date.now() + 3_000;
    const lastId = `"id":${snap.events.at(-1)!.id}`;
    // Read until the frame holding the newest event is complete.
    while (Date.now() < until && !(text.includes(lastId) && text.lastIndexOf('\n\n') > text.indexOf(lastId))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    const complete = text.slice(0, text.lastIndexOf('\n\n'));
    expect(complete).toContain(lastId);
    const data = complete.split('\n').filter((l) => l.startsWith('data: '));
    expect(data.length).toBeGreaterThan(0);
    for (const line of data) expect(() => JSON.parse(line.slice(6))).not.toThrow();

    // The CLI reads it all: report exits 0/1 (findings or not), never 2; no "[object Object]" or NaN shown.
    const report = spawnSync(process.execPath, [CLI, 'report', '--url', streamUrl], {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 512 * 1024 * 1024,
    });
    expect([0, 1], report.stderr).toContain(report.status);
    expect(report.stdout).not.toMatch(/\[object Object\]|NaN/);
    const tail = spawnSync(process.execPath, [CLI, 'tail', '--replay', '--url', streamUrl], {
      encoding: 'utf8',
      timeout: 3_000,
      killSignal: 'SIGINT',
      maxBuffer: 512 * 1024 * 1024,
    });
    expect(tail.stdout).toContain('/odd/');
    expect(tail.stdout).not.toMatch(/\[object Object\]|NaN/);
  });
});
