/**
 * How Next 16.4.6 turns revalidation calls into tags and commit modes, and which implicit (`_N_T_`) tags
 * a route's cache reads carry. Ports of `web/spec-extension/revalidate.js`, `lib/implicit-tags.js`,
 * `lib/encode-header-safe.js` and `revalidation-utils.js` (research §2.2, §2.3).
 */
import type { CommitMode, RevalidateApi, RevalidateProfile } from '../protocol/events.js';

export const IMPLICIT_TAG_PREFIX = '_N_T_';
/** `NEXT_CACHE_SOFT_TAG_MAX_LENGTH`: longer revalidatePath paths are ignored (with a warning). */
export const SOFT_TAG_MAX_LENGTH = 1024;

const OUT_OF_CLASS_CHAR = /[^\t\x20-\x7e]/;
const OUT_OF_CLASS_RUN = /[^\t\x20-\x7e]+/g;

/** Next's `encodeHeaderSafe`: percent-encodes everything but tab and printable ASCII. */
export function encodeHeaderSafe(value: string): string {
  return OUT_OF_CLASS_CHAR.test(value) ? value.replace(OUT_OF_CLASS_RUN, (run) => encodeURIComponent(run)) : value;
}

export function isImplicitTag(tag: string): boolean {
  return tag.startsWith(IMPLICIT_TAG_PREFIX);
}

function removeTrailingSlash(route: string): string {
  return route.length > 1 && route.endsWith('/') ? route.slice(0, -1) : route;
}

/** Next's strict `isDynamicRoute` (interception routes are not unwrapped here). */
export function isDynamicRoutePath(path: string): boolean {
  return /\/\[[^/]+\](?=\/|$)/.test(path);
}

/**
 * The tags `revalidatePath(path, type?)` enqueues: `_N_T_<path>` or `_N_T_<path>/<type>`, plus the
 * `/` ↔ `/index` twin. `[]` when Next ignores the call (path longer than 1024 characters).
 */
export function revalidatePathTags(path: string, type?: 'layout' | 'page'): string[] {
  if (path.length > SOFT_TAG_MAX_LENGTH) return [];
  let normalized = `${IMPLICIT_TAG_PREFIX}${encodeHeaderSafe(removeTrailingSlash(path))}`;
  if (type) normalized += `${normalized.endsWith('/') ? '' : '/'}${type}`;
  const tags = [normalized];
  if (normalized === `${IMPLICIT_TAG_PREFIX}/`) tags.push(`${IMPLICIT_TAG_PREFIX}/index`);
  else if (normalized === `${IMPLICIT_TAG_PREFIX}/index`) tags.push(`${IMPLICIT_TAG_PREFIX}/`);
  return tags;
}

/** The tags a revalidation API call enqueues, from its raw arguments. */
export function tagsForRevalidateCall(api: RevalidateApi, args: readonly unknown[]): string[] {
  switch (api) {
    case 'revalidateTag':
    case 'updateTag':
      return typeof args[0] === 'string' ? [encodeHeaderSafe(args[0])] : [];
    case 'revalidatePath': {
      const type = args[1] === 'layout' || args[1] === 'page' ? args[1] : undefined;
      return typeof args[0] === 'string' ? revalidatePathTags(args[0], type) : [];
    }
    case 'refresh':
      return [];
  }
}

function derivedTags(page: string): string[] {
  const derived = ['/layout'];
  if (!page.startsWith('/')) return derived;
  let end = page.indexOf('/', 1);
  for (;;) {
    if (end === -1) end = page.length;
    let cur = page.slice(0, end);
    if (cur) {
      if (!cur.endsWith('/page') && !cur.endsWith('/route')) cur = `${cur}${cur.endsWith('/') ? '' : '/'}layout`;
      derived.push(cur);
    }
    if (end === page.length) break;
    end = page.indexOf('/', end + 1);
  }
  return derived;
}

/**
 * The implicit (soft) tags of a render: `page` is Next's page path (`/dashboard/page`,
 * `/blog/[slug]/page`), `pathname` the concrete URL path. Same order and content as `getImplicitTags`.
 */
export function implicitTagsFor(page: string, pathname?: string): string[] {
  const tags = new Set<string>();
  for (const t of derivedTags(page)) tags.add(encodeHeaderSafe(`${IMPLICIT_TAG_PREFIX}${t}`));
  if (pathname) tags.add(encodeHeaderSafe(`${IMPLICIT_TAG_PREFIX}${pathname}`));
  if (tags.has(`${IMPLICIT_TAG_PREFIX}/`)) tags.add(`${IMPLICIT_TAG_PREFIX}/index`);
  if (tags.has(`${IMPLICIT_TAG_PREFIX}/index`)) tags.add(`${IMPLICIT_TAG_PREFIX}/`);
  return [...tags];
}

/**
 * Commit mode from the `durations` a handler's `revalidateTag` / `updateTags` received: none means
 * expire now; `{expire: 0}` also expires now; `{expire: n}` is stale-while-revalidate.
 */
export function commitModeFromDurations(durations?: { expire?: number }): { mode: CommitMode; expireSeconds?: number } {
  if (!durations || durations.expire === undefined) return { mode: 'expire-now' };
  return { mode: durations.expire === 0 ? 'expire-now' : 'stale-while-revalidate', expireSeconds: durations.expire };
}

/**
 * The commit mode a call will produce, when it can be known from the call alone: `updateTag`,
 * `revalidatePath` and one-argument `revalidateTag` expire now; an inline profile decides by its
 * `expire` (unknown when absent); a named profile is stale-while-revalidate unless it is configured with `expire: 0`
 * (unknown here: `undefined`). `refresh` commits nothing.
 */
export function expectedCommitMode(api: RevalidateApi, profile?: RevalidateProfile): CommitMode | undefined {
  if (api === 'refresh') return undefined;
  if (api !== 'revalidateTag' || profile === undefined) return 'expire-now';
  if (typeof profile === 'object') {
    if (profile.expire === undefined) return undefined;
    return profile.expire === 0 ? 'expire-now' : 'stale-while-revalidate';
  }
  return undefined;
}
