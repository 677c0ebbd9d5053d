// Re-captures the golden event streams from the real demo (not part of the default test run):
//   pnpm --filter @cachescope/instrument capture:golden
// Writes test/fixtures/golden-<mode>.json: the events cachescope recorded for the article's scenario,
// as the server streamed them. test/unit/golden.test.ts replays them through a fresh analyzer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useScenario, userTagSuffix } from '../integration/scenario.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

describe.each(['dev', 'prod'] as const)('capture the golden stream from next %s', (mode) => {
  const scenario = useScenario(mode, { freshCache: true });

  it('runs the article scenario and saves what cachescope recorded', async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    // broken pattern, then its no-op refresh
    await s.get('broken', alice);
    await s.act('broken', 'refresh-mine', alice);
    // pattern 1: two users, a repeat read, alice's refresh, the stale read, everyone's refresh, updateTag
    await s.get('p1', alice);
    await s.get('p1', alice);
    await s.get('p1', bob);
    await s.act('p1', 'refresh-mine', alice);
    await s.get('p1', alice);
    await s.act('p1', 'refresh-everyone', bob);
    await s.act('p1', 'update-mine', alice);
    // pattern 2, pattern 3
    await s.get('p2', alice);
    await s.get('p2', alice);
    await s.act('p2', 'refresh-mine', alice);
    await s.get('p3', alice);
    await s.act('p3', 'refresh-mine', alice);
    // the sledgehammer, both forms
    await s.get('sh', alice);
    await s.get('sh', bob);
    await s.act('sh', 'sledgehammer-tag', alice);
    await s.act('sh', 'sledgehammer-path', alice);
    const snapshot = await s.until('the last revalidation', (snap) => snap.revalidations.some((r) => r.args[0] === '/') && snap);
    expect(snapshot.events.length).toBeGreaterThan(20);
    const golden = {
      captured: { mode, next: '16.4.6', by: 'test/capture/capture-golden.test.ts' },
      users: { alice: userTagSuffix(alice), bob: userTagSuffix(bob) },
      events: snapshot.events,
      findings: snapshot.findings.map((f) => ({ kind: f.kind, tags: f.tags })),
    };
    writeFileSync(join(FIXTURES, `golden-${mode}.json`), `${JSON.stringify(golden, null, 1)}\n`);
  });
});
