import { describe, expect, it } from 'vitest';
import type { RevalidateCallEvent, RevalidationCommitEvent } from '../protocol/events.js';
import { RevalidationTracker } from './revalidations.js';

const T0 = 1_795_695_000_000;
let nextId = 1;
const call = (over: Partial<RevalidateCallEvent> = {}): RevalidateCallEvent => ({
  id: nextId++,
  ts: T0,
  pid: 1,
  type: 'revalidate-call',
  api: 'revalidateTag',
  args: ['dashboard-data', 'max'],
  tags: ['dashboard-data'],
  profile: 'max',
  requestId: 'r1',
  route: '/api/revalidate',
  ...over,
});
const commit = (over: Partial<RevalidationCommitEvent> = {}): RevalidationCommitEvent => ({
  id: nextId++,
  ts: T0 + 5,
  pid: 1,
  type: 'revalidation-commit',
  handler: 'incremental',
  tags: ['dashboard-data'],
  mode: 'stale-while-revalidate',
  expireSeconds: 31536000,
  requestId: 'r1',
  route: '/api/revalidate',
  ...over,
});

describe('RevalidationTracker: coalescing', () => {
  it('folds the per-handler commits of one revalidation into the first', () => {
    const t = new RevalidationTracker();
    const c = call();
    t.onCall(c);
    const first = commit({ handler: 'use-cache:default' });
    const r1 = t.onCommit(first);
    const r2 = t.onCommit(commit({ handler: 'use-cache:private', ts: T0 + 6 }));
    const r3 = t.onCommit(commit({ handler: 'incremental', ts: T0 + 7 }));
    expect(r1.kind).toBe('primary');
    expect(r2).toMatchObject({ kind: 'duplicate', primaryId: first.id });
    expect(r3).toMatchObject({ kind: 'duplicate', primaryId: first.id });
    const rev = t.get(c.id)!;
    expect(rev.status).toBe('committed');
    expect(rev.commitEventIds).toHaveLength(3);
  });

  it('does not fold commits outside the window, of other tags, modes or requests', () => {
    const t = new RevalidationTracker({ coalesceWindowMs: 50 });
    expect(t.onCommit(commit({ ts: T0 })).kind).toBe('primary');
    expect(t.onCommit(commit({ ts: T0 + 100 })).kind).toBe('primary');
    expect(t.onCommit(commit({ ts: T0 + 101, tags: ['other'] })).kind).toBe('primary');
    expect(t.onCommit(commit({ ts: T0 + 102, mode: 'expire-now', expireSeconds: undefined })).kind).toBe('primary');
    expect(t.onCommit(commit({ ts: T0 + 103, requestId: 'r2' })).kind).toBe('primary');
    expect(t.onCommit(commit({ ts: T0 + 104, requestId: 'r2', handler: 'use-cache:default' })).kind).toBe('duplicate');
  });

  it('folds regardless of tag order', () => {
    const t = new RevalidationTracker();
    t.onCommit(commit({ tags: ['a', 'b'] }));
    expect(t.onCommit(commit({ tags: ['b', 'a'], ts: T0 + 6, handler: 'use-cache:default' })).kind).toBe('duplicate');
  });
});

describe('RevalidationTracker: a call Next commits twice (form action without JavaScript)', () => {
  const updateTag = () => call({ api: 'updateTag', args: ['dashboard-data'], profile: undefined });
  const expireNow = (over: Partial<RevalidationCommitEvent>) => commit({ mode: 'expire-now', expireSeconds: undefined, ...over });

  it('one handler receiving the same commit again, even inside the window, is a second commit', () => {
    const t = new RevalidationTracker();
    const u = updateTag();
    t.onCall(u);
    const first = t.onCommit(expireNow({ handler: 'use-cache:default' }));
    expect(t.onCommit(expireNow({ handler: 'incremental', ts: T0 + 6 })).kind).toBe('duplicate');
    const second = t.onCommit(expireNow({ handler: 'use-cache:default', ts: T0 + 40 }));
    expect(second.kind).toBe('primary');
    expect(t.onCommit(expireNow({ handler: 'incremental', ts: T0 + 41 })).kind).toBe('duplicate');
    expect(first.revalidations.map((r) => r.id)).toEqual([u.id]);
    expect(second.revalidations.map((r) => r.id)).toEqual([u.id]);
  });

  it('the second commit, after the re-render, belongs to the call of the same request', () => {
    const t = new RevalidationTracker();
    const u = updateTag();
    t.onCall(u);
    expect(t.onCommit(expireNow({})).kind).toBe('primary');
    const second = t.onCommit(expireNow({ ts: T0 + 400 }));
    expect(second).toMatchObject({ kind: 'primary' });
    expect(second.revalidations.map((r) => r.id)).toEqual([u.id]);
    expect(second.kind === 'primary' && second.recommitted.has(t.get(u.id)!)).toBe(true);
    expect(t.get(u.id)!.commitEventIds).toHaveLength(2);
    expect(t.list()).toHaveLength(1); // no revalidation of api 'unknown'
  });

  it('a commit of the same tags in another request is not that call', () => {
    const t = new RevalidationTracker();
    t.onCall(updateTag());
    t.onCommit(expireNow({}));
    expect(t.onCommit(expireNow({ ts: T0 + 400, requestId: 'r2' })).revalidations[0]?.api).toBe('unknown');
  });
});

describe('RevalidationTracker: joining calls to commits', () => {
  it('joins every call of the request whose tags the commit contains', () => {
    const t = new RevalidationTracker();
    const a = call({ args: ['a', 'max'], tags: ['a'] });
    const b = call({ args: ['b', 'max'], tags: ['b'] });
    const routing = t.onCommit(commit({ tags: ['a', 'b'] }));
    // calls were not registered yet: the commit stands alone
    expect(routing.revalidations).toHaveLength(1);
    expect(routing.revalidations[0]).toMatchObject({ api: 'unknown', tags: ['a', 'b'] });

    const t2 = new RevalidationTracker();
    t2.onCall(a);
    t2.onCall(b);
    const joined = t2.onCommit(commit({ tags: ['a', 'b'] }));
    expect(joined.revalidations.map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it('keeps calls of another request pending', () => {
    const t = new RevalidationTracker();
    const other = call({ requestId: 'r9' });
    t.onCall(other);
    const routing = t.onCommit(commit());
    expect(routing.revalidations.map((r) => r.api)).toEqual(['unknown']);
    expect(t.get(other.id)?.status).toBe('pending');
  });

  it('without request ids, joins on route and time', () => {
    const t = new RevalidationTracker({ joinWindowMs: 1000 });
    const c = call({ requestId: undefined });
    t.onCall(c);
    expect(t.onCommit(commit({ requestId: undefined, route: '/elsewhere' })).revalidations[0]?.api).toBe('unknown');
    expect(
      t.onCommit(commit({ requestId: undefined, ts: T0 + 5000, tags: ['dashboard-data'], handler: 'use-cache:x' })).revalidations[0]?.api,
    ).toBe('unknown');
    const t2 = new RevalidationTracker({ joinWindowMs: 1000 });
    t2.onCall(c);
    expect(t2.onCommit(commit({ requestId: undefined })).revalidations.map((r) => r.id)).toEqual([c.id]);
  });

  it('an updateTag call does not join a stale-while-revalidate commit', () => {
    const t = new RevalidationTracker();
    const u = call({ api: 'updateTag', args: ['dashboard-data'], profile: undefined });
    t.onCall(u);
    expect(t.onCommit(commit()).revalidations[0]?.api).toBe('unknown');
    expect(t.onCommit(commit({ mode: 'expire-now', expireSeconds: undefined, ts: T0 + 6 })).revalidations[0]?.id).toBe(u.id);
  });

  it('refresh and failed calls never wait for a commit', () => {
    const t = new RevalidationTracker();
    expect(t.onCall(call({ api: 'refresh', args: [], tags: [], profile: undefined })).status).toBe('no-cache-effect');
    expect(t.onCall(call({ api: 'updateTag', error: 'updateTag can only be called from within a Server Action' })).status).toBe('failed');
  });

  it('keeps at most maxRevalidations records', () => {
    const t = new RevalidationTracker({ maxRevalidations: 2 });
    const ids = [call(), call(), call()].map((c) => t.onCall(c).id);
    expect(t.list().map((r) => r.id)).toEqual(ids.slice(1));
  });
});
