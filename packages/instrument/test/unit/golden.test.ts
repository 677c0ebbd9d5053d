// Golden event streams captured from the real demo (test/capture/capture-golden.test.ts) replayed
// through a fresh analyzer: the offline analysis must reach the verdicts the live server reached,
// and those verdicts must be the article's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import type { CacheScopeEvent, RevalidationCommitEvent } from '../../src/protocol/events.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

type Golden = {
  users: { alice: string; bob: string };
  events: CacheScopeEvent[];
  findings: { kind: string; tags: string[] }[];
};

function load(mode: 'dev' | 'prod'): Golden {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `golden-${mode}.json`), 'utf8')) as Golden;
}

/** The events as the hooks emitted them: without what the live analysis wrote onto commits. */
function asEmitted(events: CacheScopeEvent[]): CacheScopeEvent[] {
  return events.map((e) => {
    if (e.type !== 'revalidation-commit') return { ...e };
    const { matched: _m, coalescedInto: _c, ...rest } = e;
    return rest as CacheScopeEvent;
  });
}

const keys = (commit: RevalidationCommitEvent | undefined) => (commit?.matched ?? []).map((m) => `${m.kind}:${m.key}:${m.tag}`).sort();

describe.each(['dev', 'prod'] as const)('golden stream from next %s', (mode) => {
  const golden = load(mode);
  const analyzer = createAnalyzer();
  const events = asEmitted(golden.events);
  for (const event of events) analyzer.ingest(event);
  const snapshot = analyzer.snapshot(events);
  const revalidation = (firstArg: string) => snapshot.revalidations.filter((r) => r.args[0] === firstArg);

  it('replays to the findings the live server reported', () => {
    const live = golden.findings.map((f) => `${f.kind} ${f.tags.join(',')}`).sort();
    const replayed = snapshot.findings.map((f) => `${f.kind} ${f.tags.join(',')}`).sort();
    expect(replayed).toEqual(live);
  });

  it('matches every commit to the same entries the live server did', () => {
    const replayedCommits = new Map(
      snapshot.events.filter((e): e is RevalidationCommitEvent => e.type === 'revalidation-commit').map((e) => [e.id, e]),
    );
    const liveCommits = golden.events.filter(
      (e): e is RevalidationCommitEvent => e.type === 'revalidation-commit' && e.coalescedInto === undefined,
    );
    expect(liveCommits.length).toBeGreaterThan(5);
    for (const commit of liveCommits) expect(keys(replayedCommits.get(commit.id))).toEqual(keys(commit));
  });

  it("the broken pattern's tag is orphaned by an uncached call and its revalidation is a no-op", () => {
    const orphan = snapshot.findings.find((f) => f.kind === 'orphaned-tag' && f.tags.includes('dashboard-data'));
    expect(orphan).toMatchObject({ cause: 'declared-on-uncached-call', fix: { pattern: 'pattern-1' } });
    expect(snapshot.findings.some((f) => f.kind === 'noop-revalidation' && f.tags.includes('dashboard-data'))).toBe(true);
    expect(revalidation('dashboard-data').every((r) => r.matched.length === 0)).toBe(true);
  });

  it("pattern 1: alice's refresh matched exactly her entry, then her next read was stale", () => {
    const aliceTag = `p1:dashboard-data:${golden.users.alice}`;
    const [mine] = revalidation(aliceTag).filter((r) => r.api === 'revalidateTag');
    expect(mine.matched).toHaveLength(1);
    expect(mine.matched[0].kind).toBe('UNSTABLE_CACHE');
    expect(snapshot.findings.some((f) => f.kind === 'stale-after-revalidate' && f.tags.includes(aliceTag))).toBe(true);
    const [update] = revalidation(aliceTag).filter((r) => r.api === 'updateTag');
    expect(update.mode).toBe('expire-now');
  });

  it("everyone's refresh and revalidatePath('/', 'layout') are broad; revalidateTag('') matches nothing", () => {
    const everyone = revalidation('p1:dashboard-data')[0];
    expect(everyone.blast.scopes).toBeGreaterThanOrEqual(2);
    expect(revalidation('')[0].matched).toEqual([]);
    const layout = revalidation('/')[0];
    expect(layout.blast.scopes).toBeGreaterThanOrEqual(2);
    expect(snapshot.findings.some((f) => f.kind === 'broad-revalidation' && f.tags.includes('_N_T_/layout'))).toBe(true);
  });

  it('never carries a session value in clear', () => {
    const text = JSON.stringify(golden);
    expect(text).not.toMatch(/session=(alice|bob|carol)\.[0-9a-f]{8,}/);
    expect(text).not.toMatch(/"(alice|bob|carol)\.[0-9a-f]{16}"/);
  });
});
