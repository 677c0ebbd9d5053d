// Causes Next is silent about (#12 item 7): updateTag's re-render of the current route.
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.js';
import type { CacheScopeEvent, RevalidateApi, RevalidationCommitEvent } from './events.js';

const T0 = 1_795_695_000_000;
const base = (id: number, requestId = `q${id}`) => ({ id, ts: T0 + id, pid: 1, requestId, route: '/traps/x' });

const revalidateCall = (id: number, api: RevalidateApi, written: string, encoded: string, requestKind: 'action' | 'route-handler' = 'action'): CacheScopeEvent => ({
  ...base(id), type: 'revalidate-call', api, args: api === 'revalidateTag' ? [written, 'max'] : [written], tags: [encoded],
  ...(api === 'revalidateTag' ? { profile: 'max' } : {}), requestKind, phase: 'action',
});
const commit = (id: number, tag: string, requestId: string, mode: RevalidationCommitEvent['mode'] = 'expire-now', requestKind: 'action' | 'route-handler' = 'action'): RevalidationCommitEvent => ({
  ...base(id, requestId), type: 'revalidation-commit', handler: 'incremental', tags: [tag], mode, requestKind, phase: 'action',
});
const set = (id: number, key: string, tags: string[]): CacheScopeEvent => ({ ...base(id), type: 'cache-set', handler: 'incremental', kind: 'FETCH', key, tags });

describe("updateTag's re-render of the current route", () => {
  it('an expire-now revalidation in a Server Action notes the re-render on the record and on the commit, matched or not', () => {
    const a = createAnalyzer();
    const c = commit(2, 'elsewhere', 'q1');
    a.ingestAll([revalidateCall(1, 'updateTag', 'elsewhere', 'elsewhere'), c]);
    const [rev] = a.revalidations();
    expect(rev!.notes).toHaveLength(1);
    expect(rev!.notes![0]).toContain('updateTag("elsewhere") also made Next re-render the current route (/traps/x)');
    expect(rev!.notes![0]).toContain('whether or not the route reads "elsewhere"');
    expect(rev!.notes![0]).toContain('(0 here)');
    expect(c.notes).toEqual(rev!.notes);
  });

  it('a stale-while-revalidate revalidateTag does not re-render, and nothing outside an action does', () => {
    const a = createAnalyzer();
    const swr = commit(2, 't', 'q1', 'stale-while-revalidate');
    const handler = commit(4, 'u', 'q3', 'expire-now', 'route-handler');
    a.ingestAll([set(0, 'k', ['t']), revalidateCall(1, 'revalidateTag', 't', 't'), swr, revalidateCall(3, 'revalidateTag', 'u', 'u', 'route-handler'), handler]);
    expect(a.revalidations().map((r) => r.notes)).toEqual([undefined, undefined]);
    expect(swr.notes).toBeUndefined();
    expect(handler.notes).toBeUndefined();
  });
});

