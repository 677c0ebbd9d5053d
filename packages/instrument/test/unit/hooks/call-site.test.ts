// Call sites of calls that repeat per request: captured per call in dev, once per place under next start.
import { afterEach, describe, expect, it } from 'vitest';
import { callSite, repeatedCallSite } from '../../../src/hooks/shims/call-site.js';

const savedEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = savedEnv;
});

function wrapper(place: string): Error {
  return repeatedCallSite(() => place, wrapper);
}

describe('repeatedCallSite', () => {
  it('under next start: one capture per place, the first caller named', () => {
    process.env.NODE_ENV = 'production';
    const place = `test-place-${Math.random()}`;
    const first = wrapper(place);
    const again = wrapper(place);
    const other = wrapper(`${place}-other`);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(first.stack).toMatch(/call-site\.test\.ts:\d+/);
    expect(first.stack).not.toMatch(/at wrapper/);
  });

  it('in dev: every call captured (HMR moves code), the place never computed', () => {
    process.env.NODE_ENV = 'development';
    let asked = 0;
    const capture = () =>
      repeatedCallSite(() => {
        asked++;
        return 'dev-place';
      }, capture);
    expect(capture()).not.toBe(capture());
    expect(asked).toBe(0);
  });

  it('captures as many frames as asked, and restores the stack limit', () => {
    const limit = Error.stackTraceLimit;
    const deep = (n: number): Error => (n === 0 ? callSite(deep, 2) : deep(n - 1));
    const site = deep(6);
    expect(site.stack!.split('\n').filter((l) => l.trim().startsWith('at ')).length).toBe(2);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
