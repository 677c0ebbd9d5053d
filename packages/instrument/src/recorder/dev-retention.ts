// next dev keeps a 'use cache' entry whose expire is under five minutes for five minutes: Next 16.5's
// default handler get() and use-cache-wrapper's hit path both compare the entry's age with
// `Math.max(entry.expire, MIN_PRERENDERABLE_EXPIRE)` when `__NEXT_DEV_SERVER` is set (and re-generate it
// in the background on each request render), while next start drops it after `expire`. The entry keeps
// its real expire, so the handler's metadata alone would make a dev hit look impossible.
import type { CacheIoFacts } from './facts.js';

/** `MIN_PRERENDERABLE_EXPIRE` (next/dist/server/use-cache/constants.js), seconds. */
export const DEV_MIN_USE_CACHE_EXPIRE_S = 300;

const isNextDev = () => !!process.env.__NEXT_DEV_SERVER;

/** Seconds a 'use cache' entry is served for under the running Next (dev raises a short expire). */
export function servedExpireSeconds(expire: number): number {
  return isNextDev() ? Math.max(expire, DEV_MIN_USE_CACHE_EXPIRE_S) : expire;
}

/**
 * The reason of a 'use cache' hit that only next dev's raised expire explains: the entry was older than
 * its own expire when it was served. `undefined` otherwise.
 */
export function devRetentionReason(f: Pick<CacheIoFacts, 'expire' | 'createdAt' | 't'>): string | undefined {
  if (!isNextDev() || f.expire === undefined || f.createdAt === undefined) return undefined;
  if (f.expire >= DEV_MIN_USE_CACHE_EXPIRE_S || f.t - f.createdAt <= f.expire * 1000) return undefined;
  const age = Math.round((f.t - f.createdAt) / 1000);
  return (
    `served from the cache although the entry was ${age} s old and its cacheLife expire is ${f.expire} s: ` +
    `next dev raises a 'use cache' expire under five minutes to ${DEV_MIN_USE_CACHE_EXPIRE_S} s (and re-generates the entry in the background), ` +
    'so the page shows data one request old; next start would have missed and run the function'
  );
}
