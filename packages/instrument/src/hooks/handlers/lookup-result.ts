// Judges a cache handler's answer the way Next will right after it (incremental-cache/index.js get,
// default 'use cache' handler): the handler returning an entry is not the same as a hit.
import { tagsManifest, type WorkStoreLike } from '../next-runtime.js';
import type { LookupResult } from '../../recorder/facts.js';

function revalidatedInThisRequest(tags: string[], workStore: WorkStoreLike | undefined): boolean {
  const pending = workStore?.pendingRevalidatedTags;
  return !!pending?.length && tags.some((tag) => pending.some((item) => item.tag === tag));
}

/** A data-cache (FETCH / unstable_cache) entry: `lastModified` ms, `revalidate` s. */
export function judgeFetchEntry(
  entry: { lastModified?: number; value?: { revalidate?: number } | null } | null | undefined,
  tags: string[],
  ctxRevalidate: number | false | undefined,
  workStore: WorkStoreLike | undefined,
): LookupResult {
  if (!entry?.value) return 'miss';
  if (revalidatedInThisRequest(tags, workStore)) return 'dropped-revalidated-in-request';
  const lastModified = entry.lastModified ?? 0;
  const manifest = tagsManifest();
  if (manifest?.areTagsExpired(tags, lastModified)) return 'expired-by-tag';
  const revalidate = ctxRevalidate || entry.value.revalidate;
  const ageSeconds = (Date.now() - lastModified) / 1000;
  if (typeof revalidate === 'number' && ageSeconds > revalidate) return 'stale';
  if (manifest?.areTagsStale(tags, lastModified)) return 'stale';
  return 'hit';
}

/** A 'use cache' entry: the built-in handler already drops expired ones and marks stale tags revalidate -1. */
export function judgeUseCacheEntry(
  entry: { timestamp?: number; revalidate?: number; expire?: number } | undefined,
  softTags: string[],
): LookupResult {
  if (!entry) return 'miss';
  const timestamp = entry.timestamp ?? 0;
  const manifest = tagsManifest();
  // Next checks the route's implicit (soft) tags separately, through getExpiration().
  if (softTags.length && manifest?.areTagsExpired(softTags, timestamp)) return 'expired-by-tag';
  if ((entry.revalidate ?? 0) < 0) return 'stale';
  if (typeof entry.revalidate === 'number' && Date.now() - timestamp > entry.revalidate * 1000) return 'stale';
  if (softTags.length && manifest?.areTagsStale(softTags, timestamp)) return 'stale';
  return 'hit';
}

/** A cache handler's rejected lookup, as the event will say it: `Name: message` (raw; redacted at flush). */
export function lookupError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
