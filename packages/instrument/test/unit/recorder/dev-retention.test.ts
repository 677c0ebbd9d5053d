import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEV_MIN_USE_CACHE_EXPIRE_S, devRetentionReason, servedExpireSeconds } from '../../../src/recorder/dev-retention.js';

const T = 1_795_695_000_000;

describe("next dev's five-minute floor on a 'use cache' expire", () => {
  afterEach(() => vi.unstubAllEnvs());

  it('next dev serves a short-expire entry for 300 s; next start for its expire', () => {
    vi.stubEnv('__NEXT_DEV_SERVER', '1');
    expect(servedExpireSeconds(60)).toBe(DEV_MIN_USE_CACHE_EXPIRE_S);
    expect(servedExpireSeconds(900)).toBe(900);
    vi.stubEnv('__NEXT_DEV_SERVER', '');
    expect(servedExpireSeconds(60)).toBe(60);
  });

  it('labels a dev hit older than its expire, and nothing else', () => {
    vi.stubEnv('__NEXT_DEV_SERVER', '1');
    expect(devRetentionReason({ expire: 60, createdAt: T, t: T + 90_000 })).toContain(
      "entry was 90 s old and its cacheLife expire is 60 s: next dev raises a 'use cache' expire under five minutes to 300 s",
    );
    expect(devRetentionReason({ expire: 60, createdAt: T, t: T + 30_000 })).toBeUndefined(); // not past its expire
    expect(devRetentionReason({ expire: 300, createdAt: T, t: T + 400_000 })).toBeUndefined(); // not raised
    expect(devRetentionReason({ expire: 60, createdAt: undefined, t: T })).toBeUndefined();
    vi.stubEnv('__NEXT_DEV_SERVER', '');
    expect(devRetentionReason({ expire: 60, createdAt: T, t: T + 90_000 })).toBeUndefined();
  });
});
