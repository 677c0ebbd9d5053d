// The recording incremental cache handler that withCacheScope() puts in next.config `cacheHandler`.
// It delegates every call to the user's own handler (or Next's FileSystemCache), unchanged, and
// reports what it saw on a side branch. Loaded by Next at run time, unbundled.
import { pathToFileURL } from 'node:url';
import { fileSystemCacheClass } from '../next-runtime.js';
import { currentWorkStore } from '../request-context.js';
import { getRecorder, guarded, now } from '../../recorder/global.js';
import type { CacheIoFacts, Lookup, Store } from '../../recorder/facts.js';
import { judgeFetchEntry } from './lookup-result.js';
import { USER_CACHE_HANDLER_ENV } from '../config/env-keys.js';

type HandlerClass = new (ctx: unknown) => {
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

function observeGet(key: string, ctx: any, entry: any): void {
  const recorder = getRecorder();
  if (!recorder) return;
  const frame = recorder.calls.getStore();
  if (ctx?.kind === 'FETCH') {
    const tags: string[] = ctx.tags ?? [];
    const softTags: string[] = ctx.softTags ?? [];
    const lookup: Lookup = { result: judgeFetchEntry(entry, [...tags, ...softTags], ctx.revalidate, currentWorkStore()), key, tags, softTags };
    const isUnstableCache = typeof ctx.fetchUrl === 'string' && ctx.fetchUrl.startsWith(UNSTABLE_CACHE_PREFIX);
    if (frame && !frame.finalized && (frame.kind === 'unstable-cache') === isUnstableCache && !frame.lookup) {
      frame.lookup = lookup;
      return;
    }
    recorder.record(io('cache-get', isUnstableCache ? 'UNSTABLE_CACHE' : 'FETCH', key, tags, softTags, recorder.context(), {
      result: lookup.result,
      url: ctx.fetchUrl,
      caller: frame,
    }));
    return;
  }
  const value = entry?.value;
  recorder.record(io('cache-get', String(ctx?.kind ?? value?.kind ?? 'UNKNOWN'), key, splitTags(value?.headers?.['x-next-cache-tags']), [], recorder.context(), {
    result: value ? 'hit' : 'miss',
    createdAt: entry?.lastModified,
  }));
}

function observeSet(key: string, data: any, ctx: any): void {
  const recorder = getRecorder();
  if (!recorder || !data) return;
  const frame = recorder.calls.getStore();
  if (data.kind === 'FETCH') {
    const tags: string[] = ctx?.tags ?? data.tags ?? [];
    const isUnstableCache = typeof ctx?.fetchUrl === 'string' && ctx.fetchUrl.startsWith(UNSTABLE_CACHE_PREFIX);
    const store: Store = { key, tags, revalidate: data.revalidate };
    if (frame && !frame.finalized && (frame.kind === 'unstable-cache') === isUnstableCache && !frame.stored) {
      frame.stored = store;
      return;
    }
    recorder.record(io('cache-set', isUnstableCache ? 'UNSTABLE_CACHE' : 'FETCH', key, tags, [], recorder.context(), {
      url: ctx?.fetchUrl,
      caller: frame,
      revalidate: data.revalidate,
      createdAt: now(),
    }));
    return;
  }
  recorder.record(io('cache-set', String(data.kind), key, splitTags(data.headers?.['x-next-cache-tags']), [], recorder.context(), {
    revalidate: ctx?.cacheControl?.revalidate,
    expire: ctx?.cacheControl?.expire,
    createdAt: now(),
  }));
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

  constructor(ctx: unknown) {
    const Inner = UserHandler ?? (fileSystemCacheClass() as HandlerClass | undefined);
    if (!Inner) throw new Error('cachescope: could not load Next.js FileSystemCache; remove withCacheScope() or report this Next version');
    this.inner = new Inner(ctx);
  }

  get(key: string, ctx: any) {
    const result = this.inner.get(key, ctx);
    Promise.resolve(result).then((entry) => guarded('incremental.get', undefined, () => observeGet(key, ctx, entry)), noop);
    return result;
  }

  set(key: string, data: any, ctx: any) {
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
