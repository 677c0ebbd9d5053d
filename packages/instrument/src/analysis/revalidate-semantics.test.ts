import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  commitModeFromDurations,
  encodeHeaderSafe,
  expectedCommitMode,
  implicitTagsFor,
  isDynamicRoutePath,
  revalidatePathTags,
  tagsForRevalidateCall,
} from './revalidate-semantics.js';

// Differential check against the installed Next (16.4.6): its own revalidatePath and getImplicitTags.
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
const require = createRequire(import.meta.url);
const { workAsyncStorage } = require('next/dist/server/app-render/work-async-storage.external.js');
const next = require('next/dist/server/web/spec-extension/revalidate.js');
const { getImplicitTags } = require('next/dist/server/lib/implicit-tags.js');

function nextRevalidatePathTags(path: string, type?: 'layout' | 'page'): string[] {
  const store = {
    route: '/x',
    page: '/x/page',
    incrementalCache: {},
    pendingRevalidatedTags: [] as { tag: string }[],
    cacheLifeProfiles: {},
  };
  const warn = console.warn;
  console.warn = () => {};
  try {
    workAsyncStorage.run(store, () => next.revalidatePath(path, type));
  } finally {
    console.warn = warn;
  }
  return store.pendingRevalidatedTags.map((t) => t.tag);
}

const PATHS: Array<[string, ('layout' | 'page')?]> = [
  ['/dashboard'],
  ['/dashboard/'],
  ['/'],
  ['/', 'layout'],
  ['/', 'page'],
  ['/index'],
  ['/blog/[slug]'],
  ['/blog/[slug]', 'page'],
  ['/blog/[slug]/', 'layout'],
  ['/café/menü'],
  ['/reactcache'],
  [`/${'x'.repeat(1100)}`],
];

describe('revalidatePathTags', () => {
  it.each(PATHS)('matches Next 16.4.6 for revalidatePath(%j, %j)', (path, type) => {
    expect(revalidatePathTags(path, type)).toEqual(nextRevalidatePathTags(path, type));
  });

  it('spells out the known cases', () => {
    expect(revalidatePathTags('/dashboard')).toEqual(['_N_T_/dashboard']);
    expect(revalidatePathTags('/')).toEqual(['_N_T_/', '_N_T_/index']);
    expect(revalidatePathTags('/', 'layout')).toEqual(['_N_T_/layout']);
    expect(revalidatePathTags('/blog/[slug]', 'page')).toEqual(['_N_T_/blog/[slug]/page']);
    expect(revalidatePathTags('/x'.repeat(600))).toEqual([]);
  });
});

describe('implicitTagsFor', () => {
  const ROUTES: Array<[string, string | undefined]> = [
    ['/broken-force/page', '/broken-force'],
    ['/page', '/'],
    ['/blog/[slug]/page', '/blog/hello'],
    ['/api/revalidate/route', '/api/revalidate'],
    ['/(shop)/cart/page', '/cart'],
    ['/dashboard/page', undefined],
  ];
  it.each(ROUTES)('matches Next getImplicitTags(%j, %j)', async (page, pathname) => {
    const expected = (await getImplicitTags(page, pathname)).tags;
    expect(implicitTagsFor(page, pathname)).toEqual(expected);
  });

  it('is the observed soft-tag list of /broken-force (research §2.3)', () => {
    expect(implicitTagsFor('/broken-force/page', '/broken-force')).toEqual([
      '_N_T_/layout',
      '_N_T_/broken-force/layout',
      '_N_T_/broken-force/page',
      '_N_T_/broken-force',
    ]);
  });

  it("revalidatePath('/', 'layout') is a tag every page read carries (the real sledgehammer)", () => {
    const [tag] = revalidatePathTags('/', 'layout');
    for (const [page, pathname] of ROUTES) expect(implicitTagsFor(page, pathname)).toContain(tag);
  });
});

describe('tagsForRevalidateCall / modes', () => {
  it('maps each API to the tags it enqueues', () => {
    expect(tagsForRevalidateCall('revalidateTag', ['dashboard-data', 'max'])).toEqual(['dashboard-data']);
    expect(tagsForRevalidateCall('updateTag', ['ü'])).toEqual([encodeHeaderSafe('ü')]);
    expect(tagsForRevalidateCall('revalidatePath', ['/a', 'page'])).toEqual(['_N_T_/a/page']);
    expect(tagsForRevalidateCall('revalidatePath', ['/a', 'bogus'])).toEqual(['_N_T_/a']);
    expect(tagsForRevalidateCall('refresh', [])).toEqual([]);
    expect(tagsForRevalidateCall('revalidateTag', [42])).toEqual([]);
  });

  it('reads the commit mode from handler durations', () => {
    expect(commitModeFromDurations(undefined)).toEqual({ mode: 'expire-now' });
    expect(commitModeFromDurations({})).toEqual({ mode: 'expire-now' });
    expect(commitModeFromDurations({ expire: 31536000 })).toEqual({ mode: 'stale-while-revalidate', expireSeconds: 31536000 });
    expect(commitModeFromDurations({ expire: 0 })).toEqual({ mode: 'expire-now', expireSeconds: 0 });
  });

  it('predicts the commit mode of a call when the call alone decides it', () => {
    expect(expectedCommitMode('updateTag')).toBe('expire-now');
    expect(expectedCommitMode('revalidatePath')).toBe('expire-now');
    expect(expectedCommitMode('revalidateTag')).toBe('expire-now');
    expect(expectedCommitMode('revalidateTag', { expire: 0 })).toBe('expire-now');
    expect(expectedCommitMode('revalidateTag', { expire: 60 })).toBe('stale-while-revalidate');
    expect(expectedCommitMode('revalidateTag', 'max')).toBeUndefined();
    expect(expectedCommitMode('refresh')).toBeUndefined();
  });

  it('spots dynamic route patterns like Next', () => {
    expect(isDynamicRoutePath('/blog/[slug]')).toBe(true);
    expect(isDynamicRoutePath('/blog/[...all]/x')).toBe(true);
    expect(isDynamicRoutePath('/blog/hello')).toBe(false);
  });
});
