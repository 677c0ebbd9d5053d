// What the safety suite (test/safety) found in the recorder, pinned here so it cannot come back:
// non-string tags from the app or a handler, a snapshot that throws, and calls whose cache handler
// lookup failed (reported as deduped before).
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import { shortHash } from '../../../src/analysis/hash.js';
import { redacted, redactText, redactUrl } from '../../../src/analysis/redact.js';
import type { FetchEvent, Snapshot, UnstableCacheEvent } from '../../../src/protocol/events.js';
import type { Facts, RequestContext } from '../../../src/recorder/facts.js';
import { createPipeline, type AnalysisSink, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder } from '../../../src/recorder/recorder.js';

const ctx: RequestContext = { requestKind: 'route-handler', requestId: 1, route: '/odd/[name]', workUnit: 'request', phase: 'action' };
const t = () => Date.now() - 1_000; // settled long enough ago to be flushed at once
const pipelines: Pipeline[] = [];

function pipeline(analysis: AnalysisSink = createAnalyzer()) {
  const recorder = installRecorder();
  recorder.takePending();
  const p = createPipeline({ recorder, analysis, flushMs: 60_000 });
  pipelines.push(p);
  const record = (...facts: Facts[]) => {
    for (const f of facts) recorder.record(f);
    p.flush();
  };
  return { p, recorder, record };
}

afterEach(() => {
  for (const p of pipelines.splice(0)) p.stop();
});

describe('odd facts', () => {
  it('a revalidateTag(123) commit (Next passes the number on) keeps the snapshot working', () => {
    const { p, record } = pipeline();
    record({
      kind: 'revalidation-commit',
      handler: 'incremental',
      tags: [123, undefined, { tag: 'x' }, 'ok'] as unknown as string[],
      t: t(),
      ctx,
    });
    const snap: Snapshot = p.snapshot();
    const commit = snap.events.find((e) => e.type === 'revalidation-commit')!;
    expect(commit).toMatchObject({ tags: ['ok'] });
    expect(snap.tags.every((s) => typeof s.tag === 'string')).toBe(true);
  });

  it('non-string tags on handler I/O and seeds are left out, and do not break route keys', () => {
    const { p, recorder, record } = pipeline();
    const odd = [42, null, '_N_T_/odd', 'fine'] as unknown as string[];
    record(
      { kind: 'cache-set', handler: 'incremental', entryKind: 'APP_ROUTE', key: '/odd', tags: odd, softTags: odd, t: t(), ctx },
      { kind: 'seed-entry', entryKind: 'APP_PAGE', key: 'prerender:/odd', tags: odd, t: t(), ctx },
    );
    const events = p.snapshot().events;
    expect(events.map((e) => e.type)).toEqual(['cache-set', 'seed-entry']);
    for (const e of events) expect((e as { tags: unknown[] }).tags).toEqual(['_N_T_/odd', 'fine']);
    expect(recorder.faults.get('finalize')).toBeUndefined();
  });

  it('a fault that keeps happening is one internal error whose count keeps rising', () => {
    const { p, recorder } = pipeline();
    const before = recorder.faults.get('test.repeat') ?? 0;
    for (let i = 0; i < 3; i++) recorder.fault('test.repeat', new Error('collector down'));
    p.flush();
    const summaries = (p.snapshot().internalErrors ?? []).filter((e) => e.where === 'test.repeat');
    expect(summaries).toEqual([{ where: 'test.repeat', message: 'Error: collector down', count: before + 3 }]);
    recorder.fault('test.repeat', new Error('collector down'));
    expect(p.snapshot({ events: false }).internalErrors?.find((e) => e.where === 'test.repeat')?.count).toBe(before + 4);
  });

  it('an analysis that throws on snapshot still serves the events, and counts the fault', () => {
    const analysis = createAnalyzer();
    const broken: AnalysisSink = {
      ingest: (e) => analysis.ingest(e),
      findings: () => analysis.findings(),
      clear: () => analysis.clear(),
      snapshot: () => {
        throw new TypeError('tag.startsWith is not a function');
      },
    };
    const { p, recorder, record } = pipeline(broken);
    record({ kind: 'revalidate-call', api: 'revalidateTag', args: ['a', 'max'], site: new Error('x'), t: t(), ctx });
    const before = recorder.faults.get('snapshot') ?? 0;
    const snap = p.snapshot();
    expect(snap.events.map((e) => e.type)).toEqual(['revalidate-call']);
    expect(snap.internalErrors).toEqual([{ where: 'snapshot', message: 'TypeError: tag.startsWith is not a function', count: 1 }]);
    expect(recorder.faults.get('snapshot')).toBe(before + 1);
  });

  it("a fetch whose cache handler get() threw is a skip with the handler's error, not a dedupe, and drops no tag", () => {
    const { p, record } = pipeline();
    const message = 'Error: handler down (see http://cache.internal/x?token=s3cr3t-value)';
    record({
      kind: 'fetch',
      t: t(),
      ctx,
      input: 'http://127.0.0.1:1/dashboard?pattern=odd-shared',
      init: { method: 'GET' },
      declaredCache: 'force-cache',
      declaredNext: { tags: ['odd:shared'] },
      originCalls: 0,
      end: t(),
      failed: message,
      lookupFailed: message,
    });
    const fetch = p.snapshot().events.find((e): e is FetchEvent => e.type === 'fetch')!;
    expect(fetch).toMatchObject({ decision: 'skip', tagsDropped: [], tagsAttached: [] });
    expect(fetch.reason).toMatch(/cache handler's get\(\) failed/);
    expect(fetch.error).toMatch(/^Error: handler down/);
    expect(JSON.stringify(fetch)).not.toContain('s3cr3t-value');
  });

  it('an unstable_cache call that failed without a lookup is a skip with its error, not a dedupe', () => {
    const { p, record } = pipeline();
    record({
      kind: 'unstable-cache',
      t: t(),
      ctx,
      keyParts: ['fn', 'k'],
      tags: ['a'],
      revalidate: 60,
      end: t(),
      failed: 'Error: get failed',
      lookupFailed: 'Error: get failed',
    });
    record({ kind: 'unstable-cache', t: t(), ctx, keyParts: ['fn', 'k'], tags: ['a'], revalidate: 60, end: t() });
    const calls = p.snapshot().events.filter((e): e is UnstableCacheEvent => e.type === 'unstable-cache');
    expect(calls.map((c) => [c.decision, c.error])).toEqual([
      ['skip', 'Error: get failed'],
      ['deduped', undefined],
    ]);
  });

  it('unstable_cache key parts leave the process hashed, and only the declared ones (not the call arguments)', () => {
    const { p, record } = pipeline();
    record({
      kind: 'unstable-cache',
      t: t(),
      ctx,
      keyParts: ['posts-list', 'posts', 7, 'session=s3cr3t'],
      declaredKeyParts: 3,
      tags: [],
      revalidate: undefined,
      end: t(),
    });
    const call = p.snapshot().events.find((e): e is UnstableCacheEvent => e.type === 'unstable-cache')!;
    expect(call.keyPartHashes).toEqual([shortHash('posts-list'), shortHash('posts')]);
    expect(JSON.stringify(call)).not.toMatch(/"posts"|s3cr3t/);
  });

  it('a ?token= on a fetch URL is hashed once: the event shows ‹sha256:shortHash(token)›, as documented', () => {
    const { p, record } = pipeline();
    const token = 'qtok-0123456789abcdef';
    record({
      kind: 'fetch',
      t: t(),
      ctx,
      input: `http://127.0.0.1:1/dashboard?pattern=odd-secret&token=${token}&user=me:pw`,
      init: { headers: { Authorization: 'Bearer bear-0123456789abcdef' } },
      declaredCache: 'force-cache',
      declaredNext: undefined,
      originCalls: 1,
      end: t(),
      status: 200,
    });
    const fetch = p.snapshot().events.find((e): e is FetchEvent => e.type === 'fetch')!;
    expect(fetch.url).toContain(`token=${redacted(token)}`);
    expect(fetch.url).not.toContain(token);
    // redaction is idempotent: redacting a redacted URL or text changes nothing
    const once = redactUrl(`http://user:pw@h/x?token=${token}`);
    expect(redactUrl(once)).toBe(once);
    expect(redactText(once)).toBe(once);
  });
});
