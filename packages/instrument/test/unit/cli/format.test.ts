import { describe, expect, it } from 'vitest';
import { EventFormatter, clock } from '../../../src/cli/format.js';
import { commitNoop, commitNoopOtherHandler, fetchMiss, fetchSkipDropped, findings, revalidateCall } from './fixtures.js';

const at = <T extends { type: string; ts: number }>(e: T, id: number) => ({ ...e, id, pid: 1 });

describe('tail lines', () => {
  it('formats a fetch like the README example', () => {
    const line = new EventFormatter().format(at(fetchMiss, 1))!;
    expect(line).toMatch(
      /^13:27:10\.123 {2}\/pattern-1 +fetch +MISS +POST http:\/\/127\.0\.0\.1:4100\/dashboard\?pattern=p1 {2}200 12ms {2}tags: p1:dashboard-data$/,
    );
  });

  it('shows dropped tags and the skip reason', () => {
    const line = new EventFormatter().format(at(fetchSkipDropped, 2))!;
    expect(line).toContain('SKIP');
    expect(line).toContain('dropped tags: dashboard-data (uncached fetch in a request)');
    expect(line).toContain('· auto no cache: the route read cookies() before this fetch');
  });

  it('names a commit by the call that asked for it, says NO-OP, and folds the per-handler duplicate', () => {
    const f = new EventFormatter();
    expect(f.format(at(revalidateCall, 3))).toMatch(
      /revalidateTag\("dashboard-data", "max"\) {2}requested {2}at app\/broken\/actions\.ts:7$/,
    );
    expect(f.format(at(commitNoop, 4))).toMatch(
      /revalidateTag\("dashboard-data", "max"\) {2}NO-OP \(0 entries\) {2}stale-while-revalidate$/,
    );
    expect(f.format(at(commitNoopOtherHandler, 5))).toBeNull();
    expect(f.format(at({ ...commitNoop, coalescedInto: 4 }, 6))).toBeNull();
  });

  it('reports matched entries and scopes', () => {
    const f = new EventFormatter();
    const line = f.format(
      at(
        {
          ...commitNoop,
          requestId: 'r9',
          matched: [
            { key: 'a', kind: 'FETCH', scope: 'u1', via: 'tag', tag: 'dashboard-data' },
            { key: 'b', kind: 'FETCH', scope: 'u2', via: 'tag', tag: 'dashboard-data' },
          ],
        },
        7,
      ),
    )!;
    expect(line).toContain('tags: dashboard-data  → 2 entries across 2 user scopes (FETCH)');
  });

  it("prints a commit's notes and a 'use cache' call's reason", () => {
    const note = 'updateTag("t") also made Next re-render the current route (/broken)';
    expect(new EventFormatter().format(at({ ...commitNoop, requestId: 'r10', notes: [note] }, 9))).toContain(
      `stale-while-revalidate  · ${note}`,
    );
    const hit = {
      type: 'use-cache',
      ts: fetchMiss.ts,
      route: '/traps/short-expire',
      functionId: 'f1',
      decision: 'hit',
      tags: [],
      reason: 'next dev raises it',
    };
    expect(new EventFormatter().format(at(hit, 10))).toContain('· next dev raises it');
  });

  it('prints unknown event types generically', () => {
    const line = new EventFormatter().format(at({ type: 'future-thing', ts: fetchMiss.ts, route: '/x', answer: 42, nested: { a: 1 } }, 8))!;
    expect(line).toMatch(/future-thing +answer=42 nested=\{"a":1\}$/);
  });

  it('prints findings, gaps and clears visibly', () => {
    const f = new EventFormatter();
    const line = f.finding(findings[0]!);
    expect(line).toContain('FINDING orphaned-tag');
    expect(line).toContain('(×3)');
    expect(line).toContain('→ fix: Pass the session');
    expect(f.gap({ missed: 12, reason: 'evicted' })).toContain('missed 12 event(s)');
    expect(f.clear()).toContain('cleared');
  });

  it('colours only when asked', () => {
    expect(new EventFormatter({ color: true }).format(at(fetchMiss, 1))).toContain('\u001b[33mMISS');
    expect(new EventFormatter().format(at(fetchMiss, 1))).not.toContain('\u001b');
  });

  it('helpers', () => {
    expect(clock(Number.NaN)).toBe('--:--:--.---');
  });
});
