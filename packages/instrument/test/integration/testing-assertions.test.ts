// `@cachescope/instrument/testing` against the demo in next dev: each expectation passes where the backend
// counters say it should, and a deliberately wrong one fails with a message that quotes what really happened.
import { describe, expect, it } from 'vitest';
import { DEMO_DIR } from '@cachescope/harness';
import { CacheScopeAssertionError, connectCacheScope, type CacheScopeConnection } from '../../src/testing/index.js';
import { userTagSuffix, useScenario } from './scenario.js';

describe('test assertions against next dev', () => {
  const scenario = useScenario('dev');
  let connection: CacheScopeConnection | undefined;
  // Found the way a user's test finds it: the stream of the app in the folder.
  const cache = async () =>
    (connection ??= await connectCacheScope({ cwd: DEMO_DIR, env: { CACHESCOPE_PORT: new URL(scenario().streamUrl).port } }));

  it('expectRevalidation: matched counts as the backend sees them; a wrong count fails naming the real one', async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    const aliceTag = `p1:dashboard-data:${userTagSuffix(alice)}`;
    await s.get('p1', alice);
    await s.get('p1', bob);
    const c = await cache();
    expect(c.url).toBe(s.streamUrl);

    const step = await c.mark();
    await s.act('p1', 'refresh-mine', alice);
    const rev = await step.expectRevalidation(aliceTag, { matched: 1, api: 'revalidateTag', mode: 'stale-while-revalidate' });
    expect(rev.matched[0]).toMatchObject({ kind: 'UNSTABLE_CACHE', tag: aliceTag });

    const wrong = step.expectRevalidation(aliceTag, { matched: 2 });
    await expect(wrong).rejects.toBeInstanceOf(CacheScopeAssertionError);
    await expect(wrong).rejects.toThrow(`expected the revalidation of "${aliceTag}" to match 2 live entries, but it matched 1.`);
    await expect(wrong).rejects.toThrow(/UNSTABLE_CACHE entry \w+ via tag p1:dashboard-data:/);

    const never = step.expectRevalidation('no-such-tag', { timeoutMs: 300 });
    await expect(never).rejects.toThrow(
      /expected a revalidation of "no-such-tag" after the mark; none was committed\. Revalidations after the mark: \n {2}#\d+ revalidateTag\("p1:dashboard-data:/,
    );
  });

  it('expectDecisions: one SKIP per backend hit on the broken page; expecting HIT fails and shows the skips', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const c = await cache();
    const step = await c.mark();
    const before = s.hits('broken', 'alice');
    await s.get('broken', alice);
    const hits = s.hits('broken', 'alice') - before;
    expect(hits).toBeGreaterThanOrEqual(1);
    const calls = await step.expectDecisions({ route: '/broken', url: '/dashboard?pattern=broken' }, Array(hits).fill('skip'));
    expect(calls.every((call) => call.type === 'fetch' && call.forwarded?.includes('cookie'))).toBe(true);

    const wrong = step.expectDecisions({ route: '/broken', url: '/dashboard?pattern=broken' }, Array(hits).fill('hit'));
    await expect(wrong).rejects.toThrow(`but they were [${Array(hits).fill('skip').join(', ')}]`);
    await expect(wrong).rejects.toThrow(/fetch\s+SKIP\s+POST http:\/\/127\.0\.0\.1:\d+\/dashboard\?pattern=broken/);
  });

  it('expectNoFindings: quiet on Pattern 1 reads; the broken refresh fails it, quoting the no-op', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const c = await cache();
    const quiet = await c.mark();
    await s.get('p1', alice);
    await quiet.expectNoFindings(['noop-revalidation', 'orphaned-tag']);

    const noisy = await c.mark();
    await s.act('broken', 'refresh-mine', alice);
    await s.until('the broken revalidation committed', (snap) =>
      snap.revalidations.find((r) => (r.callEventId ?? r.id) > noisy.eventId && r.status === 'committed'),
    );
    const failing = noisy.expectNoFindings(['noop-revalidation']);
    await expect(failing).rejects.toThrow(/expected no noop-revalidation findings after the mark; found 1:/);
    await expect(failing).rejects.toThrow('revalidateTag("dashboard-data", "max") matched no live cache entry');
    await expect(failing).rejects.toThrow(/revalidateTag\("dashboard-data", "max"\)\s+requested/);
  });
});
