// Entries `next build` wrote are in cachescope's index from the start of `next start`: a revalidatePath
// right after start lists the build-written fetch entry, and Next's next read of it refetches (the
// backend's counter moves). The build runs against the live backend so the prerenders really fetch.
import { describe, expect, it } from 'vitest';
import { getPage, waitFor } from '@cachescope/harness';
import { revalidationOf, useScenario, type Scenario } from './scenario.js';

async function revalidatePath(s: Scenario, path: string): Promise<void> {
  const res = await fetch(`${s.demo.baseUrl}/build-time/revalidate?path=${encodeURIComponent(path)}`, { method: 'POST' });
  expect(res.status).toBe(200);
}

const backendHits = (s: Scenario, pattern: string) => s.demo.backend.stats().hits[pattern]?.anonymous ?? 0;

describe.each(['turbopack', 'webpack'] as const)(
  'next start (%s): entries written by next build are matched by a revalidation right after start',
  (bundler) => {
    const scenario = useScenario('prod', { backendAtBuild: true, freshCache: true, bundler });

    it.each([
      ['a prerendered page', '/build-time', 'build-time', 'APP_PAGE'],
      ['a prerendered GET route handler', '/build-time/data', 'build-time-route', 'APP_ROUTE'],
    ] as const)(
      '%s: revalidatePath lists its build-time fetch entry, and the next read refetches',
      async (_what, path, pattern, routeKind) => {
        const s = scenario();
        const built = backendHits(s, pattern);
        expect(built).toBeGreaterThanOrEqual(1); // next build fetched it
        const mark = await s.mark();

        await revalidatePath(s, path);
        const revalidation = await s.until(`revalidatePath(${path})`, (snap) => revalidationOf(snap, mark, path));
        const kinds = revalidation.matched.map((m) => m.kind);
        expect(kinds).toContain(routeKind);
        expect(kinds).toContain('FETCH');
        expect(revalidation.matched.find((m) => m.kind === 'FETCH')).toMatchObject({ via: 'soft-tag', tag: `_N_T_${path}` });

        // Ground truth: the build-written entry really was invalidated, Next goes back to the backend.
        expect(backendHits(s, pattern)).toBe(built);
        await waitFor(
          async () => {
            await getPage(s.demo.baseUrl, path); // a stale read may come first; its regeneration refetches
            return backendHits(s, pattern) > built || undefined;
          },
          { timeoutMs: 10_000, what: `a backend fetch for ${path} after the revalidation` },
        );
      },
    );
  },
);
