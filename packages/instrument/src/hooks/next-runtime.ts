// The one place that loads Next's internals. Everything is required at run time from the app's own
// `next` (resolved from the project directory), never bundled: the cache handlers, the tags manifest
// and the async-local storages must be the very module instances Next's runtime uses.
import { createRequire } from 'node:module';
import { join } from 'node:path';

type AnyFn = (...args: any[]) => any;
export type AsyncStorageLike<T> = { getStore(): T | undefined };

export type WorkStoreLike = {
  route?: string;
  page?: string;
  pendingRevalidatedTags?: { tag: string; profile?: unknown }[];
  isDraftMode?: boolean;
  /** Next numbers the request's fetch and unstable_cache calls (`fetchIdx`) from this counter. */
  nextFetchId?: number;
  /** Background work Next finishes before the request ends; a fetch's cache write is `cache-set-<cacheKey>`. */
  pendingRevalidates?: Record<string, PromiseLike<unknown> | undefined>;
};
export type WorkUnitStoreLike = {
  type?: string;
  phase?: string;
  /** The incoming request's headers (request stores, runtime prerenders, private caches). */
  headers?: { get(name: string): string | null };
  /**
   * Request stores: the cookies the render sees. After a Server Action set or deleted one, Next renders with
   * the new set (`synchronizeMutableCookies`) while `headers` still holds the request's old Cookie header.
   */
  cookies?: { toString(): string };
  implicitTags?: { tags?: string[] };
};
export type TagsManifestModule = {
  tagsManifest: Map<string, { stale?: number; expired?: number }>;
  areTagsExpired(tags: string[], timestamp: number): boolean;
  areTagsStale(tags: string[], timestamp: number): boolean;
};

let requireFromApp: NodeJS.Require | undefined;
const cache = new Map<string, unknown>();

/** A require() that resolves like the app does (from process.cwd(), or an explicit project dir). */
export function appRequire(projectDir = process.cwd()): NodeJS.Require {
  requireFromApp ??= createRequire(join(projectDir, 'package.json'));
  return requireFromApp;
}

/** Loads `next/dist/<path>` or returns undefined when this Next version does not have it. */
export function loadNextInternal<T>(distPath: string): T | undefined {
  if (cache.has(distPath)) return cache.get(distPath) as T | undefined;
  let mod: T | undefined;
  try {
    mod = appRequire()(`next/dist/${distPath}`) as T;
  } catch {
    mod = undefined;
  }
  cache.set(distPath, mod);
  return mod;
}

export function nextVersion(): string | undefined {
  try {
    return (appRequire()('next/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

export function fileSystemCacheClass(): (new (ctx: unknown) => any) | undefined {
  const mod = loadNextInternal<{ default?: AnyFn }>('server/lib/incremental-cache/file-system-cache.js');
  return mod?.default as (new (ctx: unknown) => any) | undefined;
}

export function tagsManifest(): TagsManifestModule | undefined {
  return loadNextInternal<TagsManifestModule>('server/lib/incremental-cache/tags-manifest.external.js');
}

export function workAsyncStorage(): AsyncStorageLike<WorkStoreLike> | undefined {
  return loadNextInternal<{ workAsyncStorage?: AsyncStorageLike<WorkStoreLike> }>('server/app-render/work-async-storage.external.js')
    ?.workAsyncStorage;
}

export function workUnitAsyncStorage(): AsyncStorageLike<WorkUnitStoreLike> | undefined {
  return loadNextInternal<{ workUnitAsyncStorage?: AsyncStorageLike<WorkUnitStoreLike> }>(
    'server/app-render/work-unit-async-storage.external.js',
  )?.workUnitAsyncStorage;
}
