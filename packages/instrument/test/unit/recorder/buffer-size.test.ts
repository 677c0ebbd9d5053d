// The ring's size: the bufferSize option, else CACHESCOPE_BUFFER_SIZE, else 5,000.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUFFER_SIZE, resolveBufferSize } from '../../../src/recorder/pipeline.js';

describe('resolveBufferSize', () => {
  it('takes the option first, then the environment, then the default', () => {
    expect(resolveBufferSize(200, '50')).toBe(200);
    expect(resolveBufferSize(undefined, '50')).toBe(50);
    expect(resolveBufferSize(undefined, undefined)).toBe(DEFAULT_BUFFER_SIZE);
    expect(DEFAULT_BUFFER_SIZE).toBe(5_000);
  });

  it('ignores what is not a positive integer', () => {
    for (const env of ['', ' ', '0', '-5', '2.5', 'lots']) expect(resolveBufferSize(undefined, env)).toBe(DEFAULT_BUFFER_SIZE);
    expect(resolveBufferSize(0, '7')).toBe(7);
    expect(resolveBufferSize(Number.NaN, undefined)).toBe(DEFAULT_BUFFER_SIZE);
  });
});
