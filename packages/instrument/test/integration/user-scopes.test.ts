// User scopes come from what identifies a user, never from argument values: a 'use cache' function called
// with four arguments, all tagged alike, in a page without cookies (apps/demo/app/shapes/use-cache-args).
// updateTag reaches the four entries (the backend refetches each one) and is no broad revalidation.
import { describe, expect, it } from 'vitest';
import { getPage, postActionById, resolveActionId } from '@cachescope/harness';
import { revalidationOf, useScenario } from './scenario.js';

const PATH = '/shapes/use-cache-args';
const TAG = 'use-cache-args';
const ARGS = ['a', 'b', 'c', 'd'] as const;

describe.each(['dev', 'prod'] as const)("'use cache' arguments are not users, next %s", (mode) => {
  const scenario = useScenario(mode);

  it('updateTag over four argument entries: four entries matched, no user scope, no broad-revalidation', async () => {
    const s = scenario();
    const hits = () => ARGS.map((arg) => s.demo.backend.stats().hits[`use-cache-args-${arg}`]?.anonymous ?? 0);
    const actionId = await resolveActionId(s.demo.baseUrl, PATH, 'update-args-tag');
    await getPage(s.demo.baseUrl, PATH);
    const cached = hits();
    expect(cached.every((n) => n >= 1)).toBe(true);
    await getPage(s.demo.baseUrl, PATH);
    expect(hits()).toEqual(cached); // four live entries: the second read asked the backend nothing

    const mark = await s.mark();
    const res = await postActionById(s.demo.baseUrl, PATH, actionId);
    expect(res.status).toBe(200);
    // Ground truth: updateTag expired all four (the action's re-render refetched each one).
    expect(hits()).toEqual(cached.map((n) => n + 1));

    const rev = await s.until('the updateTag revalidation', (snap) => revalidationOf(snap, mark, TAG));
    expect(rev.matched.filter((m) => m.kind === 'USE_CACHE')).toHaveLength(ARGS.length);
    expect(rev.matched.every((m) => m.scope === undefined)).toBe(true);
    expect(rev.blast.scopes).toBe(0);
    const snap = await s.snapshot();
    expect(snap.findings.filter((f) => f.kind === 'broad-revalidation' && f.tags.includes(TAG))).toEqual([]);
  });
});
