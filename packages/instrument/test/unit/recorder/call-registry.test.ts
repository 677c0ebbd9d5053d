// Which running call a cache-handler read or write, an origin fetch or Next's fetch span belongs to:
// Next's per-request call number (fetchIdx), bound on first sight to the oldest open call of that kind
// and URL.
import { describe, expect, it } from 'vitest';
import { createCallRegistry } from '../../../src/recorder/call-registry.js';
import type { CallFrame, FetchFacts, UnstableCacheFacts } from '../../../src/recorder/facts.js';

const ctx = { requestKind: 'page' as const, requestId: 1 };
const fetchCall = (input: unknown): FetchFacts => ({
  kind: 'fetch',
  t: 0,
  ctx,
  input,
  init: undefined,
  declaredCache: undefined,
  declaredNext: undefined,
  originCalls: 0,
});
const cachedCall = (): UnstableCacheFacts => ({ kind: 'unstable-cache', t: 0, ctx, keyParts: [], tags: undefined, revalidate: undefined });

describe('call registry', () => {
  it('binds a number to the oldest open call of its URL, as Next reports URLs, and keeps it', () => {
    const calls = createCallRegistry();
    const request = {};
    const a = fetchCall('http://api.test/a');
    const b = fetchCall(new URL('http://API.test/b'));
    const a2 = fetchCall('http://api.test/a');
    for (const f of [a, b, a2]) calls.open(request, f);
    expect(calls.find(request, 'fetch', 7, () => 'http://api.test/b')).toBe(b);
    expect(calls.find(request, 'fetch', 8, () => 'http://api.test/a')).toBe(a);
    expect(calls.find(request, 'fetch', 9, () => 'http://api.test/a')).toBe(a2);
    // the same number again (the write after the read, the origin call): the same call, whatever URL is given
    expect(calls.find(request, 'fetch', 8, () => 'http://api.test/zzz')).toBe(a);
    expect(calls.find(request, 'fetch', 10, () => 'http://api.test/a')).toBeUndefined();
  });

  it('matches text the app wrote differently from Next (case, default path), oldest first', () => {
    const calls = createCallRegistry();
    const request = {};
    const first = fetchCall('HTTP://Api.test');
    const second = fetchCall('http://api.test/');
    const third = fetchCall('http://api.test');
    for (const f of [first, second, third]) calls.open(request, f);
    expect(calls.find(request, 'fetch', 1, () => 'http://api.test/')).toBe(first);
    expect(calls.find(request, 'fetch', 2, () => 'http://api.test/')).toBe(second);
    expect(calls.awaitingNextReport(request, 'http://api.test/')).toBe(first);
    expect(calls.find(request, 'fetch', 3, () => 'http://api.test/')).toBe(third);
  });

  it('keeps requests apart, and kinds apart', () => {
    const calls = createCallRegistry();
    const [r1, r2] = [{}, {}];
    const f1 = fetchCall('http://api.test/a');
    const u1 = cachedCall();
    calls.open(r1, f1);
    calls.open(r1, u1);
    expect(calls.find(r2, 'fetch', 1, () => 'http://api.test/a')).toBeUndefined();
    expect(calls.find(r1, 'unstable-cache', 1)).toBe(u1);
    expect(calls.find(r1, 'fetch', 1, () => 'http://api.test/a')).toBeUndefined(); // number 1 is the unstable_cache call
    expect(calls.find(r1, 'fetch', 2, () => 'http://api.test/a')).toBe(f1);
  });

  it('takes a call numbered at once (synchronously, seen by the fetch hook) out of the open ones', () => {
    const calls = createCallRegistry();
    const request = {};
    const skipped = fetchCall('http://api.test/a');
    const cached = fetchCall('http://api.test/a');
    calls.open(request, skipped);
    calls.number(request, skipped, 1);
    calls.open(request, cached);
    expect(calls.find(request, 'fetch', 2, () => 'http://api.test/a')).toBe(cached);
    expect(calls.find(request, 'fetch', 1, () => 'http://api.test/a')).toBe(skipped);
  });

  it('prefers running calls to finished ones, and finds the running one that Next has not reported on yet', () => {
    const calls = createCallRegistry();
    const request = {};
    const done: CallFrame = { ...fetchCall('http://api.test/a'), finalized: true };
    const running = fetchCall('http://api.test/a');
    calls.open(request, done);
    calls.open(request, running);
    expect(calls.awaitingNextReport(request, 'http://api.test/a')).toBe(running);
    expect(calls.find(request, 'fetch', 3, () => 'http://api.test/a')).toBe(running);
    running.next = { status: 'hit' };
    expect(calls.awaitingNextReport(request, 'http://api.test/a')).toBeUndefined();
    expect(calls.find(request, 'fetch', 4, () => 'http://api.test/a')).toBe(done); // a late write finds its call
  });

  it('stays bounded when calls never get a number', () => {
    const calls = createCallRegistry();
    const request = {};
    const first = fetchCall('http://api.test/first');
    calls.open(request, first);
    for (let i = 0; i < 1_000; i++) calls.open(request, fetchCall('http://api.test/deduped'));
    expect(calls.find(request, 'fetch', 1, () => 'http://api.test/first')).toBeUndefined();
  });
});
