/**
 * Next's tag limits (`validateTags` in patch-fetch.js, Next 16.5): a tag longer than 256 characters is
 * left off the entry, and past 128 kept tags the rest are dropped. Next warns in the server log and
 * stores the entry anyway, so `revalidateTag` of a dropped tag silently invalidates nothing.
 */
import type { TagLimit } from '../protocol/events.js';
import { encodeHeaderSafe } from './revalidate-semantics.js';

/** `NEXT_CACHE_TAG_MAX_LENGTH`, checked on the tag as written (before its header-safe encoding). */
export const NEXT_CACHE_TAG_MAX_LENGTH = 256;
/** `NEXT_CACHE_TAG_MAX_ITEMS`. Next checks it after adding a tag, so it keeps one more: 129. */
export const NEXT_CACHE_TAG_MAX_ITEMS = 128;

export interface OverLimitTag {
  tag: string;
  limit: TagLimit;
}

export const limitOf = (tag: string): TagLimit => (tag.length > NEXT_CACHE_TAG_MAX_LENGTH ? 'length' : 'count');

/** The declared tags Next keeps, as written, in Next's order (mirror of `validateTags`). */
function keptByNext(declared: readonly string[]): Set<string> {
  const kept = new Set<string>();
  let count = 0;
  for (const tag of declared) {
    if (tag.length > NEXT_CACHE_TAG_MAX_LENGTH) continue;
    kept.add(tag);
    if (++count > NEXT_CACHE_TAG_MAX_ITEMS) break;
  }
  return kept;
}

/**
 * The declared tags Next left off the entry. `stored` is the tag list Next itself handed the cache
 * handler (encoded), the truth when there is one; without it (the call reached no handler) Next's rule
 * is applied to the declaration.
 */
export function tagsOverLimit(declared: readonly string[], stored?: readonly string[]): OverLimitTag[] {
  const kept = stored ? new Set(stored) : keptByNext(declared);
  const isKept = (tag: string) => kept.has(tag) || kept.has(encodeHeaderSafe(tag));
  return declared.filter((tag) => !isKept(tag)).map((tag) => ({ tag, limit: limitOf(tag) }));
}

/** Why Next left `tag` off the entry, in words. */
export function overLimitReason(limit: TagLimit): string {
  return limit === 'length'
    ? `Next stored the entry without it: the tag is longer than ${NEXT_CACHE_TAG_MAX_LENGTH} characters (Next warns "exceeded max length" and ignores it)`
    : `Next stored the entry without it: the call declared more than ${NEXT_CACHE_TAG_MAX_ITEMS} tags (Next keeps the first ${NEXT_CACHE_TAG_MAX_ITEMS + 1} and drops the rest)`;
}
