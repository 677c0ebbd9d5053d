// A form action posted without JavaScript: Next commits its updateTag before the re-render and again
// after it, and the re-render's write can reach the analysis after the second commit it preceded.
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.js';
import { ingestEach } from '../../test/support/ingest.js';
import type { CacheScopeEvent } from '../protocol/events.js';

const T0 = 1_795_700_000_000;
const TAG = 'p2:dashboard-data:u1';
const ctx = { pid: 1, requestId: 'r1', route: '/pattern-2', requestKind: 'action' as const };

function write(id: number, ts: number, createdAt: number): CacheScopeEvent {
  return {
    id,
    ts,
    ...ctx,
    phase: 'render',
    type: 'cache-set',
    handler: 'use-cache:default',
    kind: 'USE_CACHE',
    key: 'k1',
    tags: [TAG],
    createdAt,
  };
}
const commits = (firstId: number, ts: number): CacheScopeEvent[] =>
  (['use-cache:default', 'use-cache:private', 'incremental'] as const).map((handler, i) => ({
    id: firstId + i,
    ts: ts + i * 0.05,
    ...ctx,
    type: 'revalidation-commit',
    handler,
    tags: [TAG],
    mode: 'expire-now',
  }));

function formAction(reRenderWrite: CacheScopeEvent) {
  const analyzer = createAnalyzer({ now: () => T0 + 10_000 });
  ingestEach(analyzer, [
    write(1, T0, T0), // the entry the page read before
    { id: 2, ts: T0 + 100, ...ctx, phase: 'action', type: 'revalidate-call', api: 'updateTag', args: [TAG], tags: [TAG] },
    ...commits(3, T0 + 101), // before the re-render
    ...commits(6, T0 + 140), // after it: inside the coalescing window, from the same handlers again
    reRenderWrite, // reported late: its call settled after the second commit
  ]);
  return analyzer.snapshot();
}

describe('a call Next commits twice in one request', () => {
  it('is one effective revalidation: the second commit joins the call, no unknown revalidation, no no-op', () => {
    const snap = formAction(write(9, T0 + 120, T0 + 110));
    expect(snap.revalidations).toHaveLength(1);
    expect(snap.revalidations[0]).toMatchObject({ id: 2, api: 'updateTag', status: 'committed', commitEventIds: [3, 4, 5, 6, 7, 8] });
    expect(snap.revalidations[0]!.matched.map((m) => m.key)).toEqual(['k1']);
    expect(snap.findings.filter((f) => f.kind === 'noop-revalidation')).toEqual([]);
  });

  it('a write made before the second commit but reported after it was expired by it', () => {
    const snap = formAction(write(9, T0 + 120, T0 + 110));
    expect(snap.tags.find((t) => t.tag === TAG)?.liveEntries).toBe(0);
  });

  it('a write made after the second commit stays live', () => {
    const snap = formAction(write(9, T0 + 150, T0 + 145));
    expect(snap.tags.find((t) => t.tag === TAG)?.liveEntries).toBe(1);
  });
});
