import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '../../test/support/fixtures.js';
import { createAnalyzer, type AnalyzerOptions } from './analyzer.js';
import { ingestEach } from '../../test/support/ingest.js';
import type {
  BroadRevalidationFinding,
  CacheScopeEvent,
  Finding,
  FindingKind,
  NoopRevalidationFinding,
  OrphanedTagFinding,
  RevalidationCommitEvent,
  StaleAfterRevalidateFinding,
} from '../protocol/events.js';
import { SCHEMA_VERSION } from '../protocol/events.js';

function run(name: string, options: AnalyzerOptions = {}, filter: (e: CacheScopeEvent) => boolean = () => true) {
  const events = loadFixture(name).events.filter(filter);
  const analyzer = createAnalyzer({ now: () => 1_795_700_000_000, ...options });
  ingestEach(analyzer, events);
  const stored = events;
  const snapshot = analyzer.snapshot(events);
  const byId = new Map(stored.map((e) => [e.id, e]));
  const kinds = () => snapshot.findings.map((f) => f.kind).sort();
  const find = <F extends Finding>(id: string) => snapshot.findings.find((f) => f.id === id) as F | undefined;
  const commit = (id: number) => byId.get(id) as RevalidationCommitEvent;
  return { analyzer, stored, snapshot, kinds, find, commit };
}

describe('handmade-broken-pattern (§3.1): the article gotcha', () => {
  const r = run('handmade-broken-pattern');

  it('yields exactly orphaned-tag + noop-revalidation for dashboard-data', () => {
    expect(r.kinds()).toEqual<FindingKind[]>(['noop-revalidation', 'orphaned-tag']);
    for (const f of r.snapshot.findings) expect(f.tags).toEqual(['dashboard-data']);
  });

  it('the orphan names the cause and the dynamic reason, and suggests Patterns 1/2/3', () => {
    const orphan = r.find<OrphanedTagFinding>('orphaned-tag:dashboard-data')!;
    expect(orphan.cause).toBe('declared-on-uncached-call');
    expect(orphan.dynamicReason).toMatch(/no cache option in a request render.*forwarded the Cookie header/);
    expect(orphan.message).toMatch(/never entered a cache/);
    expect(orphan.fix.pattern).toBe('pattern-1');
    expect(orphan.fix.alternatives).toEqual(['pattern-2', 'pattern-3']);
    expect(orphan.evidence).toEqual(expect.arrayContaining([2, 4, 5, 6, 10]));
    expect(orphan.count).toBe(4);
  });

  it('the no-op is an error, backed by the call and the commit', () => {
    const noop = r.find<NoopRevalidationFinding>('noop-revalidation:revalidateTag:dashboard-data')!;
    expect(noop.severity).toBe('error');
    expect(noop).toMatchObject({ api: 'revalidateTag', noops: 1, effective: 0 });
    expect(noop.message).toContain('revalidateTag("dashboard-data", "max") matched no live cache entry');
    expect(noop.message).toMatch(/skipped the cache/);
    expect(noop.evidence).toEqual([5, 6]);
  });

  it('coalesces the three per-handler commits into one revalidation', () => {
    expect(r.commit(6)).toMatchObject({ matched: [] });
    expect(r.commit(6).coalescedInto).toBeUndefined();
    expect(r.commit(7)).toMatchObject({ matched: [], coalescedInto: 6 });
    expect(r.commit(8)).toMatchObject({ matched: [], coalescedInto: 6 });
    expect(r.snapshot.revalidations).toHaveLength(1);
    expect(r.snapshot.revalidations[0]).toMatchObject({
      id: 5,
      api: 'revalidateTag',
      status: 'committed',
      commitEventIds: [6, 7, 8],
      matched: [],
    });
  });

  it('the tag summary tells the story', () => {
    const tag = r.snapshot.tags.find((t) => t.tag === 'dashboard-data')!;
    expect(tag).toMatchObject({ liveEntries: 0, declared: 3, dropped: 3, attached: 0, revalidated: 1, implicit: false });
    expect(tag.lastDropReason).toMatch(/does not collect fetch tags/);
    expect(tag.history.map((h) => h.what)).toContain('revalidated');
  });
});

describe('handmade-force-cache (§3.2): cached per cookie, revalidation reaches every user', () => {
  const r = run('handmade-force-cache');

  it('reports the blast radius of one user action and the stale read, no no-op, no orphan', () => {
    expect(r.kinds()).toEqual<FindingKind[]>(['broad-revalidation', 'broad-revalidation', 'stale-after-revalidate']);
  });

  it('revalidateTag from a Server Action matched both users: broad, with its blast radius', () => {
    expect(r.commit(10).matched?.map((m) => [m.key, m.scope])).toEqual([
      ['c0ffee00c0ffee01', '3f1c2a9b7d4e5f60'],
      ['c0ffee00c0ffee02', '9e8d7c6b5a493827'],
    ]);
    expect(r.commit(11).coalescedInto).toBe(10);
    const broad = r.find<BroadRevalidationFinding>('broad-revalidation:revalidateTag:dashboard-data')!;
    expect(broad.severity).toBe('warning');
    expect(broad.blast).toEqual({ entries: 2, scopes: 2, routes: ['/broken-force'], kinds: ['FETCH'] });
    expect(broad.requesterScope).toBe('3f1c2a9b7d4e5f60');
    expect(broad.fix.pattern).toBe('per-user-tags');
    expect(broad.message).toMatch(/One user's action refreshes every user's cache/);
  });

  it("the next read after revalidateTag(tag,'max') in an action was stale: suggests updateTag", () => {
    const stale = r.find<StaleAfterRevalidateFinding>('stale-after-revalidate:revalidateTag:dashboard-data')!;
    expect(stale.severity).toBe('warning');
    expect(stale.keys).toEqual(['c0ffee00c0ffee01']);
    expect(stale.fix.pattern).toBe('updateTag');
    expect(stale.evidence).toEqual([9, 10, 12]);
    expect(stale.count).toBe(1);
  });

  it('updateTag expires both entries; the next read misses and the entry is re-created', () => {
    const rev = r.snapshot.revalidations.find((x) => x.id === 16)!;
    expect(rev).toMatchObject({ api: 'updateTag', mode: 'expire-now', status: 'committed' });
    expect(rev.matched.map((m) => m.key).sort()).toEqual(['c0ffee00c0ffee01', 'c0ffee00c0ffee02']);
    const tag = r.snapshot.tags.find((t) => t.tag === 'dashboard-data')!;
    expect(tag.liveEntries).toBe(1);
    expect(tag.entries.map((e) => e.key)).toEqual(['c0ffee00c0ffee01']);
    expect(tag.entries[0]?.state).toBe('fresh');
  });

  it('the broad threshold is configurable', () => {
    expect(run('handmade-force-cache', { broadScopeThreshold: 3 }).kinds()).toEqual(['stale-after-revalidate']);
  });
});

describe('handmade-unstable-cache (§3.3): Pattern 1', () => {
  const r = run('handmade-unstable-cache');

  it("'refresh mine' (the per-user hashed tag) matches exactly that user's entry", () => {
    expect(r.commit(8).matched).toEqual([
      {
        key: '0a0a0a0a0a0a0a01',
        kind: 'UNSTABLE_CACHE',
        route: '/ucache',
        scope: '3f1c2a9b7d4e5f60',
        via: 'tag',
        tag: 'dashboard-data:86f7e437faa5a7fc',
      },
    ]);
    expect(r.snapshot.findings.some((f) => f.kind === 'broad-revalidation')).toBe(false);
  });

  it('the stale read after a route-handler revalidation is info, pointing at { expire: 0 }', () => {
    const stale = r.find<StaleAfterRevalidateFinding>('stale-after-revalidate:revalidateTag:dashboard-data:86f7e437faa5a7fc')!;
    expect(stale.severity).toBe('info');
    expect(stale.fix.pattern).toBe('revalidateTag-expire-0');
    expect(stale.evidence).toContain(10);
  });

  it('a tag nobody declared: no-op plus orphan (revalidated-never-declared), no suggestion when nothing is close', () => {
    expect(r.find<NoopRevalidationFinding>('noop-revalidation:revalidateTag:never-used-tag')?.severity).toBe('error');
    const orphan = r.find<OrphanedTagFinding>('orphaned-tag:never-used-tag')!;
    expect(orphan.cause).toBe('revalidated-never-declared');
    expect(orphan.suggestion).toBeUndefined();
  });

  it('a typo of a known tag: the orphan suggests the closest tag', () => {
    const orphan = r.find<OrphanedTagFinding>('orphaned-tag:dashbord-data')!;
    expect(orphan.cause).toBe('revalidated-never-declared');
    expect(orphan.suggestion).toBe('dashboard-data');
    expect(orphan.message).toContain('Did you mean "dashboard-data"?');
    expect(orphan.fix.pattern).toBe('fix-tag-name');
  });

  it("revalidatePath('/ucache') matches through the soft tags the entry was read with", () => {
    expect(r.commit(18).matched).toEqual([expect.objectContaining({ key: '0a0a0a0a0a0a0a01', via: 'soft-tag', tag: '_N_T_/ucache' })]);
    expect(r.find('noop-revalidation:revalidatePath:_N_T_/ucache')).toBeUndefined();
    expect(r.snapshot.index?.liveEntries).toBe(0);
  });

  it("revalidatePath('/nowhere') is a no-op: nothing cached under this path (info)", () => {
    const noop = r.find<NoopRevalidationFinding>('noop-revalidation:revalidatePath:_N_T_/nowhere')!;
    expect(noop.severity).toBe('info');
    expect(noop.message).toMatch(/nothing is cached under this path\. The page re-renders anyway/);
    expect(noop.fix.pattern).toBe('pattern-3');
  });

  it('never reports the declared tags as orphaned', () => {
    expect(r.find('orphaned-tag:dashboard-data')).toBeUndefined();
    expect(r.find('orphaned-tag:dashboard-data:86f7e437faa5a7fc')).toBeUndefined();
  });
});

describe("handmade-use-cache (§3.4): 'use cache' + cacheTag", () => {
  const r = run('handmade-use-cache');

  it('joins calls and commits without request ids (route + time), coalescing the handlers', () => {
    const [swr, expire] = r.snapshot.revalidations;
    expect(swr).toMatchObject({ id: 7, status: 'committed', mode: 'stale-while-revalidate', commitEventIds: [8, 9] });
    expect(expire).toMatchObject({ id: 13, status: 'committed', mode: 'expire-now', commitEventIds: [14, 15] });
    expect(swr?.matched.map((m) => m.key)).toEqual(['5c5c5c5c5c5c5c01']);
    expect(expire?.matched.map((m) => m.key)).toEqual(['5c5c5c5c5c5c5c01']);
  });

  it('only the stale read is reported', () => {
    expect(r.kinds()).toEqual(['stale-after-revalidate']);
    expect(r.find<StaleAfterRevalidateFinding>('stale-after-revalidate:revalidateTag:uc-data')?.keys).toEqual(['5c5c5c5c5c5c5c01']);
  });

  it('the entry is live again after the read that followed updateTag', () => {
    expect(r.snapshot.tags.find((t) => t.tag === 'uc-data')?.liveEntries).toBe(1);
  });
});

describe('handmade-react-cache (§3.5): Pattern 3', () => {
  const r = run('handmade-react-cache');

  it('revalidatePath with nothing cached is an info no-op; refresh commits nothing', () => {
    expect(r.kinds()).toEqual(['noop-revalidation']);
    const noop = r.snapshot.findings[0] as NoopRevalidationFinding;
    expect(noop).toMatchObject({ api: 'revalidatePath', severity: 'info', tags: ['_N_T_/reactcache'] });
    expect(noop.message).toContain('revalidatePath("/reactcache") matched no cache entry');
    const refresh = r.snapshot.revalidations.find((x) => x.api === 'refresh')!;
    expect(refresh.status).toBe('no-cache-effect');
    expect(refresh.commitEventIds).toEqual([]);
  });
});

describe("handmade-sledgehammer: revalidateTag('') and the deprecated one-argument form", () => {
  const r = run('handmade-sledgehammer');

  it("revalidateTag('') matches nothing in Next 16: says so and points at revalidatePath('/', 'layout')", () => {
    const noop = r.find<NoopRevalidationFinding>('noop-revalidation:revalidateTag:')!;
    expect(noop.severity).toBe('error');
    expect(noop.message).toMatch(/empty tag is not a wildcard/);
    expect(noop.fix.pattern).toBe('revalidatePath-layout');
    expect(noop.fix.text).toContain("revalidatePath('/', 'layout')");
    expect(r.find('orphaned-tag:')).toBeUndefined();
  });

  it('the one-argument revalidateTag is flagged as deprecated and is still a no-op on an uncached tag', () => {
    expect(r.find('deprecated-revalidate-tag-single-arg:dashboard-data')?.severity).toBe('info');
    const noop = r.find<NoopRevalidationFinding>('noop-revalidation:revalidateTag:dashboard-data')!;
    expect(noop.fix.pattern).toBe('pattern-1');
    expect(r.find<OrphanedTagFinding>('orphaned-tag:dashboard-data')?.cause).toBe('declared-on-uncached-call');
  });
});

describe('handmade-seed (§3.7): entries written by next build are not no-ops', () => {
  it('seeded entries are matched by revalidateTag and revalidatePath', () => {
    const r = run('handmade-seed');
    expect(r.snapshot.findings).toEqual([]);
    expect(
      r
        .commit(5)
        .matched?.map((m) => [m.kind, m.via])
        .sort(),
    ).toEqual([
      ['APP_PAGE', 'tag'],
      ['FETCH', 'tag'],
    ]);
    expect(r.commit(7).matched).toEqual([expect.objectContaining({ kind: 'APP_PAGE', via: 'tag', tag: '_N_T_/static' })]);
    expect(r.snapshot.index?.liveEntries).toBe(1);
  });

  it('without the seed the same stream reports false no-ops (why the seed exists)', () => {
    const r = run('handmade-seed', {}, (e) => e.type !== 'seed-entry');
    expect(r.kinds()).toContain('noop-revalidation');
  });
});

describe('handmade-expired: entries that expired before the revalidation', () => {
  it('orphan (all-entries-expired, info) plus a no-op', () => {
    const r = run('handmade-expired');
    const orphan = r.find<OrphanedTagFinding>('orphaned-tag:short-lived')!;
    expect(orphan).toMatchObject({ cause: 'all-entries-expired', severity: 'info' });
    expect(orphan.message).toMatch(/passed their expire time/);
    expect(r.find('noop-revalidation:revalidateTag:short-lived')).toBeDefined();
  });
});

describe('handmade-dev-artefacts', () => {
  it('labels hard refresh and HMR as info, never as orphans', () => {
    const r = run('handmade-dev-artefacts');
    expect(r.kinds()).toEqual(['dev-artefact', 'dev-artefact']);
    expect(r.find('dev-artefact:hard-refresh')).toMatchObject({ count: 2, severity: 'info', evidence: [1, 4] });
    expect(r.find('dev-artefact:hmr')).toMatchObject({ count: 1, evidence: [3] });
  });
});

describe('every hand-made stream', () => {
  const names = fixtureNames('handmade-');

  it('exists', () => {
    expect(names.length).toBeGreaterThanOrEqual(9);
  });

  it.each(names)('%s: every finding is backed by events of the stream', (name) => {
    const r = run(name);
    const ids = new Set(r.stored.map((e) => e.id));
    for (const f of r.snapshot.findings) {
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const id of f.evidence) expect(ids.has(id)).toBe(true);
      expect(f.id.startsWith(`${f.kind}:`)).toBe(true);
    }
  });

  it.each(names)('%s: the snapshot is plain JSON of schema version 1', (name) => {
    const { snapshot } = run(name);
    expect(snapshot.schemaVersion).toBe(SCHEMA_VERSION);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.internalErrors).toEqual([]);
  });
});

describe('Analyzer behaviour', () => {
  const T0 = 1_795_695_000_000;
  const set = (id: number, key: string, tags: string[], ts = T0 + id): CacheScopeEvent => ({
    id,
    ts,
    pid: 1,
    type: 'cache-set',
    handler: 'incremental',
    kind: 'FETCH',
    key,
    tags,
    route: '/p',
    requestId: `q${id}`,
  });
  const call = (id: number, tag: string): CacheScopeEvent => ({
    id,
    ts: T0 + id,
    pid: 1,
    type: 'revalidate-call',
    api: 'revalidateTag',
    args: [tag, 'max'],
    tags: [tag],
    profile: 'max',
    requestId: `q${id}`,
    route: '/api/r',
  });
  const commitOf = (id: number, tag: string, requestId: string): RevalidationCommitEvent => ({
    id,
    ts: T0 + id,
    pid: 1,
    type: 'revalidation-commit',
    handler: 'incremental',
    tags: [tag],
    mode: 'stale-while-revalidate',
    expireSeconds: 31536000,
    requestId,
    route: '/api/r',
  });

  it('enriches the commit event object in place (a caller keeping the object sees matched)', () => {
    const a = createAnalyzer();
    a.ingest(set(1, 'k', ['t']));
    const c = commitOf(2, 't', 'x');
    a.ingest(c);
    expect(c.matched).toEqual([expect.objectContaining({ key: 'k' })]);
  });

  it('a no-op that is effective at other times is downgraded to info with the counts', () => {
    const a = createAnalyzer();
    ingestEach(a, [call(1, 't'), commitOf(2, 't', 'q1'), set(3, 'k', ['t']), call(4, 't'), commitOf(5, 't', 'q4')]);
    const noop = a.findings().find((f) => f.kind === 'noop-revalidation') as NoopRevalidationFinding;
    expect(noop).toMatchObject({ severity: 'info', noops: 1, effective: 1, count: 1 });
    expect(noop.message).toMatch(/matched nothing in 1 of 2 calls/);
  });

  it('a tag that gains a live entry is no longer orphaned', () => {
    const a = createAnalyzer();
    a.ingest({
      id: 1,
      ts: T0,
      pid: 1,
      type: 'fetch',
      method: 'GET',
      url: 'http://x/y',
      declared: { tags: ['t'] },
      decision: 'skip',
      reason: 'r',
      reasonCode: 'auto-no-cache',
      tagsAttached: [],
      tagsDropped: ['t'],
      workUnit: 'request',
    });
    expect(a.findings().map((f) => f.id)).toEqual(['orphaned-tag:t']);
    expect((a.findings()[0] as OrphanedTagFinding).fix.pattern).toBe('opt-in-cache');
    a.ingest(set(2, 'k', ['t']));
    expect(a.findings()).toEqual([]);
  });

  it('does not claim a no-op when its own index evicted the entries', () => {
    const a = createAnalyzer({ maxEntries: 1 });
    ingestEach(a, [set(1, 'k1', ['t']), set(2, 'k2', ['other']), call(3, 't'), commitOf(4, 't', 'q3')]);
    expect(a.snapshot().index?.evicted).toBe(1);
    expect(a.findings()).toEqual([]);
  });

  it('a stale read with no revalidation to blame is not a finding', () => {
    const a = createAnalyzer();
    a.ingest(set(1, 'k', ['t']));
    a.ingest({
      id: 2,
      ts: T0 + 2,
      pid: 1,
      type: 'cache-get',
      handler: 'incremental',
      kind: 'FETCH',
      key: 'k',
      tags: ['t'],
      result: 'stale',
      workUnit: 'request',
    });
    expect(a.findings()).toEqual([]);
  });

  it('a foreground refetch inside a cache scope is not a stale read', () => {
    const a = createAnalyzer();
    ingestEach(a, [set(1, 'k', ['t']), call(2, 't'), commitOf(3, 't', 'q2')]);
    a.ingest({
      id: 4,
      ts: T0 + 4,
      pid: 1,
      type: 'cache-get',
      handler: 'incremental',
      kind: 'FETCH',
      key: 'k',
      tags: ['t'],
      result: 'hit',
      workUnit: 'cache',
    });
    expect(a.findings().filter((f) => f.kind === 'stale-after-revalidate')).toEqual([]);
  });

  it('clear() resets the view but keeps the tag index (the cache still holds the entries)', () => {
    const a = createAnalyzer();
    ingestEach(a, loadFixture('handmade-broken-pattern').events);
    a.ingest(set(100, 'k', ['kept']));
    a.clear();
    const s = a.snapshot();
    expect(s.findings).toEqual([]);
    expect(s.revalidations).toEqual([]);
    expect(s.tags.map((t) => t.tag)).toEqual(['kept']);
    ingestEach(a, [call(101, 'kept'), commitOf(102, 'kept', 'q101')]);
    expect(a.findings()).toEqual([]);
  });

  it('the snapshot carries the events and the dropped count its caller keeps (the pipeline: test/unit/recorder/event-ring.test.ts)', () => {
    const external = createAnalyzer();
    const events = loadFixture('handmade-broken-pattern').events;
    ingestEach(external, events);
    const s = external.snapshot(events, 42);
    expect(s.events).toBe(events);
    expect(s.dropped).toBe(42);
    expect(s.findings).toHaveLength(2);
  });

  it('never throws on a malformed event: counts an internal error', () => {
    const a = createAnalyzer();
    const bad = { id: 1, ts: T0, pid: 1, type: 'fetch', declared: {} } as unknown as CacheScopeEvent;
    expect(() => a.ingest(bad)).not.toThrow();
    const s = a.snapshot();
    expect(s.internalErrors).toEqual([expect.objectContaining({ where: 'analysis:fetch', count: 1 })]);
  });

  it('aggregates internal-error events', () => {
    const a = createAnalyzer();
    for (const id of [1, 2]) a.ingest({ id, ts: T0, pid: 1, type: 'internal-error', where: 'hook:fetch', message: 'boom', count: 2 });
    expect(a.snapshot().internalErrors).toEqual([{ where: 'hook:fetch', message: 'boom', count: 4 }]);
  });

  it('stays linear: 50k events with a capped index analyse quickly', () => {
    const a = createAnalyzer({ maxEntries: 1000 });
    const start = performance.now();
    let id = 0;
    for (let i = 0; i < 25_000; i++) a.ingest(set(++id, `k${i}`, ['shared', `user:${i % 500}`]));
    for (let i = 0; i < 25_000; i++) {
      const tag = `user:${i % 500}`;
      const cid = ++id;
      a.ingest(i % 2 ? call(cid, tag) : commitOf(cid, tag, `q${cid - 1}`));
    }
    expect(a.snapshot().index?.liveEntries).toBeLessThanOrEqual(1000);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
