// hideOwnFrames: an error thrown through a wrapper reads as if the app had called Next directly.
import { describe, expect, it } from 'vitest';
import { hideOwnFrames } from '../../../src/hooks/shims/own-frames.js';

function nextApi(): never {
  throw new Error('forbidden here');
}
function run() {
  return nextApi();
}
function wrapper() {
  try {
    return run();
  } catch (error) {
    hideOwnFrames(error, wrapper, 2);
    throw error;
  }
}
function appCaller(wrapped: boolean) {
  return wrapped ? wrapper() : nextApi();
}

function names(error: unknown): string[] {
  return String((error as Error).stack)
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .map((l) => l.trim().split(' ')[1]!)
    .map((name) => (/^(\/|file:)/.test(name) ? '<anonymous>' : name)); // the two calls sit on different lines
}

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('hideOwnFrames', () => {
  it("takes the wrapper's frames out and keeps Next's and the caller's", () => {
    const plain = names(thrown(() => appCaller(false)));
    const wrapped = names(thrown(() => appCaller(true)));
    expect(plain.slice(0, 2)).toEqual(['nextApi', 'appCaller']);
    expect(wrapped).toEqual(plain);
  });

  it('keeps as many frames as the plain call would under the frame limit', () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 4;
    try {
      const plain = names(thrown(() => appCaller(false)));
      const wrapped = names(thrown(() => appCaller(true)));
      expect(plain).toHaveLength(4);
      expect(wrapped).toEqual(plain);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it('leaves a non-error and an unexpected stack alone', () => {
    expect(() => hideOwnFrames('text', wrapper, 2)).not.toThrow();
    const odd = new Error('odd');
    odd.stack = 'no frames';
    hideOwnFrames(odd, wrapper, 2);
    expect(odd.stack).toBe('no frames');
  });
});
