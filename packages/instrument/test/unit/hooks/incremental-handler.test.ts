// The recording incremental handler stands in for Next's FileSystemCache when the app has no cache
// handler of its own. Configuring any cacheHandler switches off Next's 2 MB data-cache entry limit, so
// the handler applies it itself (found by test/safety/odd-input.test.ts: a 5 MB force-cache fetch was
// cached with cachescope and refetched without).
import { afterEach, describe, expect, it, vi } from 'vitest';
import Handler from '../../../src/hooks/handlers/incremental-handler.js';

const entry = (bodyBytes: number) => ({
  kind: 'FETCH',
  data: { headers: {}, body: Buffer.alloc(bodyBytes, 7).toString('base64'), status: 200, url: 'http://x/blob' },
  revalidate: 60,
});
const ctx = { fetchCache: true, fetchUrl: 'http://x/blob', fetchIdx: 1, tags: [] };
const handler = (dev: boolean) =>
  new Handler({
    dev,
    flushToDisk: false,
    maxMemoryCacheSize: 64 * 1024 * 1024,
    serverDistDir: '/nonexistent',
    revalidatedTags: [],
    fs: {},
  });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the recording handler without a user handler keeps Next 2 MB entry limit', () => {
  it('production: an entry over 2 MB is not stored, with the warning Next prints', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = handler(false);
    await h.set('big', entry(3_000_000), ctx);
    expect(await h.get('big', { kind: 'FETCH', ...ctx })).toBeNull();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Failed to set Next\.js data cache for http:\/\/x\/blob, items over 2MB can not be cached \(\d+ bytes\)$/),
    );
  });

  it('dev: the set rejects with that message (Next logs it and moves on), nothing stored', async () => {
    const h = handler(true);
    await expect(h.set('big', entry(3_000_000), ctx)).rejects.toThrow(/items over 2MB can not be cached/);
    expect(await h.get('big', { kind: 'FETCH', ...ctx })).toBeNull();
  });

  it('entries under the limit, and implicit build-time entries, are stored as before', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = handler(false);
    await h.set('small', entry(100_000), ctx);
    expect((await h.get('small', { kind: 'FETCH', ...ctx }))?.value?.kind).toBe('FETCH');
    await h.set('build', entry(3_000_000), { ...ctx, isImplicitBuildTimeCache: true });
    expect((await h.get('build', { kind: 'FETCH', ...ctx }))?.value?.kind).toBe('FETCH');
    expect(warn).not.toHaveBeenCalled();
  });
});
