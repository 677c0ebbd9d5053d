// invalidate(): commits to the handlers Next's own commit reaches (every 'use cache' handler's updateTags, the
// dev private and front handlers, the incremental handler's revalidateTag) with the durations Next would pass.
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_INCREMENTAL_HANDLER, invalidate } from '../../../src/hooks/handlers/invalidate.js';

const g = globalThis as Record<PropertyKey, unknown>;
const SET = Symbol.for('@next/cache-handlers-set');
const PRIVATE = Symbol.for('@next/cache-handlers-private');
const FRONTS = Symbol.for('@next/cache-handlers-dev-fronts');

function recording(name: string, calls: unknown[][]) {
  return {
    updateTags: (...args: unknown[]) => calls.push([name, ...args]),
    revalidateTag: async (...args: unknown[]) => void calls.push([name, ...args]),
  };
}

afterEach(() => {
  for (const key of [SET, PRIVATE, FRONTS, LATEST_INCREMENTAL_HANDLER]) delete g[key];
  delete process.env.__NEXT_DEV_SERVER;
});

describe('invalidate', () => {
  it("revalidate: { expire } of the 'max' profile to every handler; expire: no durations (expire now)", async () => {
    const calls: unknown[][] = [];
    g[SET] = new Set([recording('default', calls)]);
    g[LATEST_INCREMENTAL_HANDLER] = recording('incremental', calls);
    expect(await invalidate({ tag: 't', mode: 'revalidate' }, 'test')).toEqual({
      tags: ['t'],
      mode: 'stale-while-revalidate',
      handlers: 2,
    });
    expect(calls).toEqual([
      ['default', ['t'], { expire: 31536000 }],
      ['incremental', ['t'], { expire: 31536000 }],
    ]);
    calls.length = 0;
    expect((await invalidate({ tag: 't', mode: 'expire' }, 'test')).mode).toBe('expire-now');
    expect(calls).toEqual([
      ['default', ['t']],
      ['incremental', ['t'], undefined],
    ]);
  });

  it("a path commits revalidatePath's implicit tags, expire now, whatever the mode", async () => {
    const calls: unknown[][] = [];
    g[LATEST_INCREMENTAL_HANDLER] = recording('incremental', calls);
    expect((await invalidate({ path: '/', mode: 'revalidate' }, 'test')).tags).toEqual(['_N_T_/', '_N_T_/index']);
    expect((await invalidate({ path: '/blog', type: 'layout', mode: 'expire' }, 'test')).tags).toEqual(['_N_T_/blog/layout']);
    expect(calls.map((c) => c[2])).toEqual([undefined, undefined]);
  });

  it("in next dev also the private and front handlers, as Next's getCacheHandlers() returns them", async () => {
    const calls: unknown[][] = [];
    process.env.__NEXT_DEV_SERVER = '1';
    g[SET] = new Set([recording('default', calls)]);
    g[PRIVATE] = recording('private', calls);
    g[FRONTS] = new Map([['default', recording('front', calls)]]);
    expect((await invalidate({ tag: 't', mode: 'expire' }, 'test')).handlers).toBe(3);
    expect(calls.map((c) => c[0])).toEqual(['default', 'private', 'front']);
  });

  it('says so when no handler is loaded yet (no request has reached the cache)', async () => {
    await expect(invalidate({ tag: 't', mode: 'expire' }, 'test')).rejects.toThrow('no cache handler is loaded yet');
  });
});
