import { describe, expect, it } from 'vitest';
import type { CacheScopeEvent, PartialFleetRevalidationFinding } from '../protocol/events.js';
import { createAnalyzer } from './analyzer.js';

const T = 1_795_700_000_000;
const io = { handler: 'incremental', kind: 'FETCH', tags: ['shared'] } as const;

function fleet(readResult: 'hit' | 'miss', readOn = 'A') {
  const analyzer = createAnalyzer({ now: () => T + 10_000 });
  const events = [
    { id: 1, ts: T, pid: 1, instance: 'A', type: 'cache-set', key: 'k1', expireAt: T + 3_600_000, requestId: 'A#1', ...io },
    {
      id: 2,
      ts: T + 100,
      pid: 2,
      instance: 'B',
      type: 'revalidate-call',
      api: 'revalidateTag',
      args: ['shared', '{"expire":0}'],
      tags: ['shared'],
      profile: { expire: 0 },
      requestId: 'B#1',
    },
    {
      id: 3,
      ts: T + 101,
      pid: 2,
      instance: 'B',
      type: 'revalidation-commit',
      handler: 'incremental',
      tags: ['shared'],
      mode: 'expire-now',
      expireSeconds: 0,
      requestId: 'B#1',
    },
    {
      id: 4,
      ts: T + 200,
      pid: 1,
      instance: readOn,
      type: 'cache-get',
      key: 'k1',
      result: readResult,
      expireAt: T + 3_600_000,
      requestId: `${readOn}#2`,
      ...io,
    },
  ] as CacheScopeEvent[];
  for (const e of events) analyzer.ingest(e);
  return analyzer.findings().filter((f): f is PartialFleetRevalidationFinding => f.kind === 'partial-fleet-revalidation');
}

describe('partial-fleet-revalidation', () => {
  it("another instance's fresh hit after the revalidation: names it, its entry and until when", () => {
    const [finding] = fleet('hit');
    expect(finding).toMatchObject({
      revalidatedOn: 'B',
      staleOn: [{ instance: 'A', keys: ['k1'], staleUntil: T + 3_600_000 }],
      severity: 'error',
      evidence: [2, 3, 4],
    });
    expect(finding!.message).toContain(
      'revalidateTag("shared", "{\\"expire\\":0}") on instance B reached only part of the fleet: A (1 entry, stale until',
    );
    expect(finding!.fix.pattern).toBe('shared-cache-handler');
  });

  it('a miss there (a shared handler saw the revalidation) is no finding', () => {
    expect(fleet('miss')).toEqual([]);
  });

  it('a read on the instance that revalidated is no finding', () => {
    expect(fleet('hit', 'B')).toEqual([]);
  });
});
