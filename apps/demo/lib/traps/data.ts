// Data for the traps pages (app/traps): one backend counter per trap and block, no session, so the
// counter (`hits['trap-<name>'].anonymous`, shown as data-fetch-no) is the ground truth of each read.
import { cacheLife, cacheTag, unstable_cache } from 'next/cache';
import { backendUrl, type DashboardData } from '../backend';

async function load(counter: string): Promise<DashboardData> {
  const res = await fetch(`${backendUrl()}/dashboard?pattern=trap-${counter}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`API ${res.status}`);
  return res.json();
}

/** Key-part trap: 'trap:posts' is meant as a tag but is passed as a key part; options.tags is empty. */
export const KEY_PART_TAG = 'trap:posts';
export const loadKeyPartPosts = unstable_cache(() => load('key-part'), ['trap-key-part', KEY_PART_TAG]);

/** updateTag trap: a cached block with a tag, next to uncached data on the same page. */
export const UPDATE_TAG_CACHED = 'trap:update-tag';
export async function loadUpdateTagCached(): Promise<DashboardData> {
  'use cache';
  cacheTag(UPDATE_TAG_CACHED);
  return load('update-tag-cached');
}
export const loadUpdateTagLive = () => load('update-tag-live');
export const loadRenderRevalidate = () => load('render-revalidate');

/** Non-ASCII trap: Next 16.5 stores and invalidates this tag as 'trap:caf%C3%A9'. */
export const NON_ASCII_TAG = 'trap:café';
export async function loadNonAscii(): Promise<DashboardData> {
  'use cache';
  cacheTag(NON_ASCII_TAG);
  return load('non-ascii');
}

/** Short-expire trap: one second, which next dev raises to five minutes. */
export const SHORT_EXPIRE_TAG = 'trap:short-expire';
export async function loadShortExpire(): Promise<DashboardData> {
  'use cache';
  cacheLife({ revalidate: 1, expire: 1 });
  cacheTag(SHORT_EXPIRE_TAG);
  return load('short-expire');
}

/** revalidate: 0 trap: the tag is declared on a fetch Next never stores. */
export const REVALIDATE_0_TAG = 'trap:revalidate-0';
export async function loadRevalidate0(): Promise<DashboardData> {
  const res = await fetch(`${backendUrl()}/dashboard?pattern=trap-revalidate-0`, { next: { revalidate: 0, tags: [REVALIDATE_0_TAG] } });
  if (!res.ok) throw new Error(`API ${res.status}`);
  return res.json();
}

/** Dynamic-route trap: a cached block on /traps/posts/[slug]. */
export async function loadPost(slug: string): Promise<DashboardData> {
  'use cache';
  cacheTag(`trap:post:${slug}`);
  return load(`post-${slug}`);
}
