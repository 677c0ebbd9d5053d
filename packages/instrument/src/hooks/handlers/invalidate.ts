// Invalidate a tag or a path from outside a request (the overlay's buttons, the MCP `invalidate` tool).
// Next's revalidateTag/revalidatePath throw without a request's work store ("static generation store
// missing"), so this commits the revalidation the way Next's own commit does (revalidation-utils.js
// `revalidateTags`): `updateTags` on every 'use cache' handler, `revalidateTag` on the incremental cache
// handler. Those are the recording wrappers, so the commit shows up like any other revalidation.
import { revalidatePathTags } from '../../analysis/revalidate-semantics.js';
import { getRecorder, now } from '../../recorder/global.js';

export type InvalidateMode = 'revalidate' | 'expire';

export interface InvalidateRequest {
  tag?: string;
  path?: string;
  type?: 'page' | 'layout';
  mode: InvalidateMode;
}

export interface InvalidateOutcome {
  tags: string[];
  mode: 'stale-while-revalidate' | 'expire-now';
  /** How many cache handlers received the commit. */
  handlers: number;
}

/** Set by the recording incremental handler each time Next constructs it (one per request). */
export const LATEST_INCREMENTAL_HANDLER = Symbol.for('cachescope.incremental-handler');
/** The `expire` of Next's built-in 'max' cacheLife profile (config-shared.js), what revalidateTag(tag, 'max') commits. */
const MAX_PROFILE_EXPIRE_SECONDS = 60 * 60 * 24 * 365;

type TagCommitter = { updateTags?: (tags: string[], durations?: { expire?: number }) => unknown };
type IncrementalCommitter = { revalidateTag(tags: string[], durations?: { expire?: number }): Promise<void> };

/** The handlers Next's `getCacheHandlers()` returns (use-cache/handlers.js), dev extras included. */
function useCacheHandlers(): TagCommitter[] {
  const g = globalThis as Record<PropertyKey, unknown>;
  const set = g[Symbol.for('@next/cache-handlers-set')];
  if (!(set instanceof Set)) return [];
  const handlers = [...set] as TagCommitter[];
  if (process.env.__NEXT_DEV_SERVER) {
    const priv = g[Symbol.for('@next/cache-handlers-private')];
    if (priv) handlers.push(priv as TagCommitter);
    const fronts = g[Symbol.for('@next/cache-handlers-dev-fronts')];
    if (fronts instanceof Map) handlers.push(...(fronts.values() as Iterable<TagCommitter>));
  }
  return handlers;
}

export function tagsOf(request: InvalidateRequest): string[] {
  if (request.tag !== undefined) return [request.tag];
  return revalidatePathTags(request.path!, request.type);
}

/** A site whose one frame names who asked (there is no app code on the stack to point at). */
function siteOf(origin: string): Error {
  const site = new Error();
  site.stack = `Error\n    at cachescope invalidate (${origin})`;
  return site;
}

export async function invalidate(request: InvalidateRequest, origin: string): Promise<InvalidateOutcome> {
  const tags = tagsOf(request);
  // revalidatePath takes no profile: a path always expires now, as Next commits it.
  const durations = request.tag !== undefined && request.mode === 'revalidate' ? { expire: MAX_PROFILE_EXPIRE_SECONDS } : undefined;
  const incremental = (globalThis as Record<PropertyKey, unknown>)[LATEST_INCREMENTAL_HANDLER] as IncrementalCommitter | undefined;
  const handlers = useCacheHandlers();
  if (!incremental && handlers.length === 0) {
    throw new Error('no cache handler is loaded yet in this process: open a page of the app once, then try again');
  }
  const recorder = getRecorder();
  // Recorded as the call it stands for, so the analysis joins the commits to it (and names it) as for the app's own.
  recorder?.record({
    kind: 'revalidate-call',
    api: request.tag !== undefined ? 'revalidateTag' : 'revalidatePath',
    args:
      request.tag !== undefined
        ? [request.tag, durations ? 'max' : { expire: 0 }]
        : request.type
          ? [request.path, request.type]
          : [request.path],
    site: siteOf(origin),
    t: now(),
    ctx: recorder.context(),
  });
  const commits: unknown[] = handlers.map((h) => (durations ? h.updateTags?.call(h, tags, durations) : h.updateTags?.call(h, tags)));
  if (incremental) commits.push(incremental.revalidateTag(tags, durations));
  await Promise.all(commits);
  return { tags, mode: durations ? 'stale-while-revalidate' : 'expire-now', handlers: handlers.length + (incremental ? 1 : 0) };
}
