// The recording incremental cache handler that withCacheScope() puts in next.config `cacheHandler`.
// It delegates every call to the user's own handler (or Next's FileSystemCache), unchanged, and
// reports what it saw on a side branch. Loaded by Next at run time, unbundled.
import { pathToFileURL } from 'node:url';
import { fileSystemCacheClass } from '../next-runtime.js';
import { currentWorkStore } from '../request-context.js';
import { getRecorder, guarded, now, type Recorder } from '../../recorder/global.js';
import type { CacheIoFacts, CallFrame, Lookup, Store } from '../../recorder/facts.js';
import { judgeFetchEntry, lookupError } from './lookup-result.js';
import { buildReadLog } from '../build-reads.js';
import { USER_CACHE_HANDLER_ENV } from '../config/env-keys.js';
import { LATEST_INCREMENTAL_HANDLER } from './invalidate.js';

type HandlerClass = new (
  ctx: unknown,
) => {
  get(key: string, ctx: any): Promise<any>;
  set(key: string, data: any, ctx: any): Promise<void>;
  revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void>;
  resetRequestCache?(): void;
};

async function loadUserHandler(): Promise<HandlerClass | undefined> {
  const path = process.env[USER_CACHE_HANDLER_ENV];
  if (!path) return undefined;
  const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(path).href)) as { default?: unknown };
  // CJS handlers arrive as { default: module.exports }, sometimes with another default inside.
  const exported = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default ?? mod;
  return exported as HandlerClass;
}

const UserHandler = await loadUserHandler();

const UNSTABLE_CACHE_PREFIX = 'unstable_cache ';
const noop = () => {};

function splitTags(header: unknown): string[] {
  return typeof header === 'string' && header ? header.split(',') : [];
}

const isUnstableCacheIo = (ctx: any): boolean => typeof ctx?.fetchUrl === 'string' && ctx.fetchUrl.startsWith(UNSTABLE_CACHE_PREFIX);

/** The fetch or unstable_cache call a data-cache read or write belongs to (Next passes its number and URL). */
function callOf(recorder: Recorder, ctx: any): CallFrame | undefined {
  const work = recorder.work?.();
  return isUnstableCacheIo(ctx)
    ? recorder.calls.find(work, 'unstable-cache', ctx?.fetchIdx)
    : recorder.calls.find(work, 'fetch', ctx?.fetchIdx, () => String(ctx?.fetchUrl));
}

function observeGet(key: string, ctx: any, entry: any): void {
  const recorder = getRecorder();
  if (!recorder) return;
  if (ctx?.kind === 'FETCH') {
    const frame = callOf(recorder, ctx);
    const tags: string[] = ctx.tags ?? [];
    const softTags: string[] = ctx.softTags ?? [];
    const lookup: Lookup = {
      result: judgeFetchEntry(entry, [...tags, ...softTags], ctx.revalidate, currentWorkStore()),
      key,
      tags,
      softTags,
    };
    if (frame && !frame.finalized && !frame.lookup) {
      frame.lookup = lookup;
      return;
    }
    recorder.record(
      io('cache-get', isUnstableCacheIo(ctx) ? 'UNSTABLE_CACHE' : 'FETCH', key, tags, softTags, recorder.context(), {
        result: lookup.result,
        url: ctx.fetchUrl,
        caller: frame,
      }),
    );
    return;
  }
  const value = entry?.value;
  recorder.record(
    io(
      'cache-get',
      String(ctx?.kind ?? value?.kind ?? 'UNKNOWN'),
      key,
      splitTags(value?.headers?.['x-next-cache-tags']),
      [],
      recorder.context(),
      {
        result: value ? 'hit' : 'miss',
        createdAt: entry?.lastModified,
      },
    ),
  );
}

/** The handler's get() rejected: the running call was served by nothing (the app receives the rejection). */
function observeGetFailure(ctx: any, error: unknown): void {
  const recorder = getRecorder();
  if (!recorder || ctx?.kind !== 'FETCH') return;
  const frame = callOf(recorder, ctx);
  if (!frame || frame.finalized || frame.lookupFailed !== undefined) return;
  frame.lookupFailed = lookupError(error);
}

function observeSet(key: string, data: any, ctx: any): void {
  const recorder = getRecorder();
  if (!recorder || !data) return;
  if (data.kind === 'FETCH') {
    const frame = callOf(recorder, ctx);
    const tags: string[] = ctx?.tags ?? data.tags ?? [];
    const store: Store = { key, tags, revalidate: data.revalidate, at: now() };
    if (frame && !frame.finalized && !frame.stored) {
      frame.stored = store;
      return;
    }
    recorder.record(
      io('cache-set', isUnstableCacheIo(ctx) ? 'UNSTABLE_CACHE' : 'FETCH', key, tags, [], recorder.context(), {
        url: ctx?.fetchUrl,
        caller: frame,
        revalidate: data.revalidate,
        createdAt: now(),
      }),
    );
    return;
  }
  recorder.record(
    io('cache-set', String(data.kind), key, splitTags(data.headers?.['x-next-cache-tags']), [], recorder.context(), {
      revalidate: ctx?.cacheControl?.revalidate,
      expire: ctx?.cacheControl?.expire,
      createdAt: now(),
    }),
  );
}

/** Next's per-entry data-cache limit (incremental-cache/index.js `set`). */
const FETCH_CACHE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Next skips its 2 MB data-cache entry limit as soon as a `cacheHandler` is configured ("a custom handler
 * might not have this limit"), and withCacheScope() configures one. Without a user handler cachescope
 * stands in for Next's own, so it applies the limit exactly where Next would have: the serialised size
 * when the entry is over it, else undefined.
 */
function overNextEntryLimit(data: any, ctx: any): number | undefined {
  if (!ctx?.fetchCache || ctx.isImplicitBuildTimeCache) return undefined;
  const body = data?.data?.body;
  // Cheap path: under 1 MB of body the entry cannot serialise to 2 MB (escaping at most doubles a string).
  if (typeof body === 'string' && body.length <= FETCH_CACHE_MAX_BYTES / 2) return undefined;
  const size = JSON.stringify(data).length;
  return size > FETCH_CACHE_MAX_BYTES ? size : undefined;
}

function io(
  kind: CacheIoFacts['kind'],
  entryKind: string,
  key: string,
  tags: string[],
  softTags: string[],
  ctx: CacheIoFacts['ctx'],
  extra: Partial<CacheIoFacts>,
): CacheIoFacts {
  return { kind, handler: 'incremental', entryKind, key, tags, softTags, t: now(), ctx, ...extra };
}

export default class CacheScopeIncrementalHandler {
  private readonly inner: InstanceType<HandlerClass>;
  private readonly dev: boolean;
  /** Only in `next build`: notes which route read which entry (see build-reads.ts). */
  private readonly noteBuildRead: ReturnType<typeof buildReadLog>;

  constructor(ctx: unknown) {
    const Inner = UserHandler ?? (fileSystemCacheClass() as HandlerClass | undefined);
    if (!Inner) throw new Error('cachescope: could not load Next.js FileSystemCache; remove withCacheScope() or report this Next version');
    this.inner = new Inner(ctx);
    this.dev = Boolean((ctx as { dev?: boolean } | undefined)?.dev);
    this.noteBuildRead = guarded('incremental.build-reads', undefined, () =>
      buildReadLog((ctx as { serverDistDir?: unknown } | undefined)?.serverDistDir),
    );
    // invalidate.ts commits through the handler Next uses (any instance: FileSystemCache's tags manifest is shared).
    (globalThis as Record<PropertyKey, unknown>)[LATEST_INCREMENTAL_HANDLER] = this;
  }

  get(key: string, ctx: any) {
    const result = this.inner.get(key, ctx);
    if (this.noteBuildRead && ctx?.kind === 'FETCH')
      guarded('incremental.build-reads', undefined, () => this.noteBuildRead?.(key, ctx.softTags));
    Promise.resolve(result).then(
      (entry) => guarded('incremental.get', undefined, () => observeGet(key, ctx, entry)),
      (error: unknown) => guarded('incremental.get', undefined, () => observeGetFailure(ctx, error)),
    );
    return result;
  }

  set(key: string, data: any, ctx: any) {
    const size = UserHandler ? undefined : guarded('incremental.size-limit', undefined, () => overNextEntryLimit(data, ctx));
    if (size !== undefined) {
      // Next's own words and outcome: not stored; a warning in production, an error (that Next logs) in dev.
      const text = `Failed to set Next.js data cache for ${ctx.fetchUrl || key}, items over 2MB can not be cached (${size} bytes)`;
      if (this.dev) return Promise.reject(new Error(text));
      console.warn(text);
      return Promise.resolve();
    }
    const result = this.inner.set(key, data, ctx);
    Promise.resolve(result).then(() => guarded('incremental.set', undefined, () => observeSet(key, data, ctx)), noop);
    return result;
  }

  revalidateTag(tags: string | string[], durations?: { expire?: number }) {
    guarded('incremental.revalidateTag', undefined, () => {
      const recorder = getRecorder();
      recorder?.record({
        kind: 'revalidation-commit',
        handler: 'incremental',
        tags: Array.isArray(tags) ? [...tags] : [tags],
        durations: durations ? { ...durations } : undefined,
        t: now(),
        ctx: recorder.context(),
      });
    });
    return this.inner.revalidateTag(tags, durations);
  }

  resetRequestCache() {
    return this.inner.resetRequestCache?.();
  }
}
