// Call sites of calls that repeat per request: captured per call in dev, once per place under next start.
import { afterEach, describe, expect, it } from 'vitest';
import { callSite, callSitePolicy, listKey, placeMemo, repeatedCallSite } from '../../../src/hooks/shims/call-site.js';

const memo = placeMemo('test');

const savedPolicy = callSitePolicy.memoize;
afterEach(() => {
  callSitePolicy.memoize = savedPolicy;
});

function wrapper(place: string): Error {
  return repeatedCallSite(memo, wrapper, '/route', place, 'GET', '');
}

describe('repeatedCallSite', () => {
  it('under next start: one capture per place, the first caller named', () => {
    callSitePolicy.memoize = true; // as under next start
    const place = `test-place-${Math.random()}`;
    const first = wrapper(place);
    const again = wrapper(place);
    const other = wrapper(`${place}-other`);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(first.stack).toMatch(/call-site\.test\.ts:\d+/);
    expect(first.stack).not.toMatch(/at wrapper/);
  });

  it('a place is all four keys: the same URL with other tags or another method is another place', () => {
    callSitePolicy.memoize = true; // as under next start
    const at = (method: unknown, tag: unknown) => repeatedCallSite(memo, at, '/r', 'https://api/x', method, tag);
    const get = at(undefined, 'a');
    expect(at(undefined, 'a')).toBe(get);
    expect(at(undefined, 'b')).not.toBe(get);
    expect(at('POST', 'a')).not.toBe(get);
    expect(repeatedCallSite(memo, at, '/other', 'https://api/x', undefined, 'a')).not.toBe(get);
  });

  it('in dev: every call captured (HMR moves code)', () => {
    callSitePolicy.memoize = false; // as in next dev
    const capture = () => repeatedCallSite(memo, capture, '/route', 'dev-place', 'GET', '');
    expect(capture()).not.toBe(capture());
  });

  it('bounded: past 1,000 places the memo starts over', () => {
    callSitePolicy.memoize = true; // as under next start
    const own = placeMemo(`bounded-${Math.random()}`);
    const at = (i: number) => repeatedCallSite(own, at, '/r', `p${i}`, undefined, undefined);
    const first = at(0);
    for (let i = 1; i < 1_000; i++) at(i);
    expect(own.size).toBe(1_000);
    expect(at(0)).toBe(first);
    at(1_000);
    expect(own.size).toBe(1);
    expect(at(0)).not.toBe(first);
  });

  it('captures as many frames as asked, and restores the stack limit', () => {
    const limit = Error.stackTraceLimit;
    const deep = (n: number): Error => (n === 0 ? callSite(deep, 2) : deep(n - 1));
    const site = deep(6);
    expect(site.stack!.split('\n').filter((l) => l.trim().startsWith('at ')).length).toBe(2);
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('a list (tags, key parts) keys a place by its one item as is, else by its items joined', () => {
    const tag = 'dashboard-data';
    expect(listKey([tag])).toBe(tag);
    expect(listKey(['a', 'b'])).toBe('a\u0000b');
    expect(listKey(['a', 'b'])).not.toBe(listKey(['a,b']));
    expect(listKey(undefined)).toBeUndefined();
    expect(listKey('a')).toBeUndefined();
  });
});
