import { describe, expect, it } from 'vitest';
import { Memo, memoize } from './memo.js';

describe('memo', () => {
  it('computes each value once while it is remembered', () => {
    let calls = 0;
    const upper = memoize((s) => {
      calls++;
      return s.toUpperCase();
    }, 2);
    expect(upper('a')).toBe('A');
    expect(upper('a')).toBe('A');
    expect(calls).toBe(1);
  });

  it('starts over past its size and never keeps long keys', () => {
    let calls = 0;
    const memo = new Memo(2, 3);
    const get = (k: string) =>
      memo.get(k, () => {
        calls++;
        return k;
      });
    get('a');
    get('b');
    get('c'); // full: starts over with c
    get('a');
    expect(calls).toBe(4);
    get('long');
    get('long');
    expect(calls).toBe(6);
  });
});
