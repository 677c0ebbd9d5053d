import { describe, expect, it } from 'vitest';
import type { MatchedEntry, Revalidation } from '../protocol/events.js';
import {
  blastRadius,
  broadRevalidationFinding,
  describeRevalidation,
  mergeEvidence,
  mergeFinding,
  noopRevalidationFinding,
  orphanedTagFinding,
  staleAfterRevalidateFinding,
} from './findings.js';

const T0 = 1_795_695_000_000;
const rev = (over: Partial<Revalidation> = {}): Revalidation => ({
  id: 5,
  api: 'revalidateTag',
  args: ['dashboard-data', 'max'],
  tags: ['dashboard-data'],
  status: 'committed',
  ts: T0,
  callEventId: 5,
  commitEventIds: [6],
  matched: [],
  blast: { entries: 0, scopes: 0, routes: [], kinds: [] },
  ...over,
});
const m = (key: string, scope?: string, route = '/d'): MatchedEntry => ({
  key,
  kind: 'FETCH',
  route,
  scope,
  via: 'tag',
  tag: 'dashboard-data',
});

describe('evidence and merging', () => {
  it('keeps the earliest and the latest ids when over the cap, without duplicates', () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    const merged = mergeEvidence([], ids, 10);
    expect(merged).toHaveLength(10);
    expect(merged.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(merged.slice(-5)).toEqual([26, 27, 28, 29, 30]);
    expect(mergeEvidence([1, 2], [2, 3])).toEqual([1, 2, 3]);
  });

  it('a repeat occurrence adds up counts and evidence and keeps firstTs', () => {
    const a = orphanedTagFinding({ tag: 't', cause: 'declared-on-uncached-call', evidence: [1], ts: T0 });
    const b = orphanedTagFinding({ tag: 't', cause: 'declared-on-uncached-call', evidence: [9], ts: T0 + 100 });
    const merged = mergeFinding(a, b);
    expect(merged).toMatchObject({ count: 2, firstTs: T0, lastTs: T0 + 100, evidence: [1, 9] });
    expect(mergeFinding(undefined, a)).toBe(a);
  });
});

describe('orphaned-tag fixes follow the decision rule', () => {
  const base = { tag: 't', cause: 'declared-on-uncached-call' as const, evidence: [1], ts: T0 };
  it('per-user data (forwarded credentials): Pattern 1, then 2 and 3', () => {
    const f = orphanedTagFinding({ ...base, forwardedCredentials: true, dynamicReason: 'because' });
    expect(f.fix).toMatchObject({ pattern: 'pattern-1', alternatives: ['pattern-2', 'pattern-3'] });
    expect(f.fix.text).toMatch(/sessionHash/);
    expect(f.message).toContain('(because)');
    expect(f.severity).toBe('warning');
  });
  it('data that is not per-user: opt the fetch into the cache', () => {
    expect(orphanedTagFinding(base).fix.pattern).toBe('opt-in-cache');
  });
  it("inside unstable_cache: move the tag to unstable_cache's options", () => {
    const f = orphanedTagFinding({ ...base, workUnit: 'unstable-cache', forwardedCredentials: true });
    expect(f.fix.text).toMatch(/unstable_cache's options/);
  });
});

describe('noop-revalidation wording per API', () => {
  it('a dynamic route pattern without a type says it does nothing (warning)', () => {
    const f = noopRevalidationFinding({
      rev: rev({ api: 'revalidatePath', args: ['/blog/[slug]'], tags: ['_N_T_/blog/[slug]'] }),
      evidence: [1],
      ts: T0,
      noops: 1,
      effective: 0,
    });
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/dynamic route pattern needs a type/);
    expect(f.fix.text).toContain(`revalidatePath("/blog/[slug]", 'page')`);
  });

  it('a commit whose call was not observed is described by its tags', () => {
    expect(describeRevalidation(rev({ api: 'unknown', args: [], tags: ['a', 'b'] }))).toBe(
      'a revalidation of "a", "b" (committed by Next; the call itself was not observed)',
    );
    const f = noopRevalidationFinding({
      rev: rev({ api: 'unknown', args: [], tags: ['_N_T_/x'] }),
      evidence: [1],
      ts: T0,
      noops: 1,
      effective: 0,
    });
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/nothing is cached under this path/);
  });
});

describe('stale-after-revalidate and broad-revalidation', () => {
  it('stale read after a Server Action revalidation: warning, updateTag', () => {
    const f = staleAfterRevalidateFinding({
      rev: rev({ requestKind: 'action' }),
      entry: m('k1'),
      readEventId: 12,
      ts: T0,
      previousKeys: ['k0'],
    });
    expect(f).toMatchObject({ severity: 'warning', keys: ['k0', 'k1'], evidence: [5, 6, 12] });
    expect(f.fix.text).toContain('updateTag("dashboard-data")');
  });

  it('blast radius counts distinct entries, scopes and routes', () => {
    expect(blastRadius([m('a', 's1'), m('b', 's2', '/e'), m('c', 's2'), m('d')])).toEqual({
      entries: 4,
      scopes: 2,
      routes: ['/d', '/e'],
      kinds: ['FETCH'],
    });
  });

  it('a broad revalidation from a route handler (a webhook, no user) is info', () => {
    const r = rev({ requestKind: 'route-handler', matched: [m('a', 's1'), m('b', 's2')] });
    r.blast = blastRadius(r.matched);
    const f = broadRevalidationFinding({ rev: r, evidence: [5, 6], ts: T0 });
    expect(f.severity).toBe('info');
    expect(f.requesterScope).toBeUndefined();
    expect(f.message).toBe('revalidateTag("dashboard-data", "max") invalidated 2 entries across 2 user scopes on /d.');
  });
});
