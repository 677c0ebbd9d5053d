import { describe, expect, it } from 'vitest';
import { revalidatePathTags, implicitTagsFor } from './revalidate-semantics.js';
import { TagIndex, type EntryInput } from './tag-index.js';

const T0 = 1_795_695_000_000;
const entry = (key: string, over: Partial<EntryInput> = {}): EntryInput => ({
  key,
  kind: 'FETCH',
  tags: ['dashboard-data'],
  ts: T0,
  source: 'set',
  ...over,
});

describe('TagIndex: matching', () => {
  it('matches entries by explicit tag, once per entry', () => {
    const index = new TagIndex();
    index.upsert(entry('a', { tags: ['dashboard-data', 'dashboard-data:aaaa'], scope: 's1', route: '/d' }));
    index.upsert(entry('b', { tags: ['dashboard-data', 'dashboard-data:bbbb'], scope: 's2', route: '/d' }));
    index.upsert(entry('c', { tags: ['other'] }));
    const all = index.match(['dashboard-data', 'dashboard-data:aaaa'], T0 + 1);
    expect(all.matched.map((m) => m.key).sort()).toEqual(['a', 'b']);
    expect(all.matched.every((m) => m.via === 'tag')).toBe(true);
    const mine = index.match(['dashboard-data:aaaa'], T0 + 1);
    expect(mine.matched).toEqual([{ key: 'a', kind: 'FETCH', route: '/d', scope: 's1', via: 'tag', tag: 'dashboard-data:aaaa' }]);
    expect(index.match(['nothing'], T0 + 1).matched).toEqual([]);
  });

  it("matches revalidatePath's _N_T_ tags against the soft tags an entry was read with", () => {
    const index = new TagIndex();
    const soft = implicitTagsFor('/ucache/page', '/ucache');
    index.upsert(entry('u', { kind: 'UNSTABLE_CACHE', softTags: soft }));
    const byPath = index.match(revalidatePathTags('/ucache'), T0 + 1);
    expect(byPath.matched).toEqual([expect.objectContaining({ key: 'u', via: 'soft-tag', tag: '_N_T_/ucache' })]);
    expect(index.match(revalidatePathTags('/nowhere'), T0 + 1).matched).toEqual([]);
    // revalidatePath('/', 'layout') reaches every page's reads.
    expect(index.match(revalidatePathTags('/', 'layout'), T0 + 1).matched).toHaveLength(1);
  });

  it('learns soft tags from later reads, and from reads of entries it never saw written', () => {
    const index = new TagIndex();
    index.upsert(entry('a'));
    index.learnFromRead(entry('a', { source: 'get', softTags: ['_N_T_/x'] }));
    expect(index.match(['_N_T_/x'], T0 + 1).matched.map((m) => m.key)).toEqual(['a']);
    const learned = index.learnFromRead(entry('build', { source: 'get', kind: 'APP_PAGE', tags: ['static-data'] }));
    expect(learned.added).toBe(true);
    expect(index.get('build')?.source).toBe('get');
  });

  it('APP_PAGE entries carry _N_T_ tags explicitly (x-next-cache-tags)', () => {
    const index = new TagIndex();
    index.upsert(
      entry('page', { kind: 'APP_PAGE', tags: implicitTagsFor('/static/page', '/static').concat('static-data'), source: 'seed' }),
    );
    expect(index.match(revalidatePathTags('/static'), T0).matched).toEqual([expect.objectContaining({ key: 'page', via: 'tag' })]);
  });
});

describe('TagIndex: seeds make revalidation effective', () => {
  it('entries written by next build (seeded) are matched: not a no-op', () => {
    const index = new TagIndex();
    expect(index.match(['static-data'], T0).matched).toEqual([]);
    index.upsert(entry('6ce8', { tags: ['static-data'], source: 'seed' }));
    expect(index.match(['static-data'], T0).matched.map((m) => m.key)).toEqual(['6ce8']);
  });
});

describe('TagIndex: expiry and revalidation effects', () => {
  it('entries past expireAt are not live, and matching removes and reports them', () => {
    const index = new TagIndex();
    index.upsert(entry('short', { expireAt: T0 + 1000 }));
    index.upsert(entry('long', { expireAt: T0 + 10_000 }));
    expect(index.hasLive('dashboard-data', T0 + 500)).toBe(true);
    const later = index.match(['dashboard-data'], T0 + 5000);
    expect(later.matched.map((m) => m.key)).toEqual(['long']);
    expect(later.expired.map((e) => e.key)).toEqual(['short']);
    expect(index.get('short')).toBeUndefined();
    expect(index.hasLive('dashboard-data', T0 + 20_000)).toBe(false);
    expect(index.entriesForTag('dashboard-data', T0 + 20_000)).toEqual([]);
  });

  it('expire-now removes; stale-while-revalidate keeps the entry, marked stale until rewritten', () => {
    const index = new TagIndex();
    index.upsert(entry('a'));
    index.upsert(entry('b'));
    const m = index.match(['dashboard-data'], T0);
    index.markStale(
      m.entries.filter((e) => e.key === 'a'),
      7,
    );
    expect(index.get('a')).toMatchObject({ state: 'stale', staleBy: 7 });
    index.expire(m.entries.filter((e) => e.key === 'b'));
    expect(index.get('b')).toBeUndefined();
    expect(index.hasLive('dashboard-data', T0)).toBe(true);
    const rewritten = index.upsert(entry('a', { ts: T0 + 10 }));
    expect(rewritten.added).toBe(false);
    expect(index.get('a')?.state).toBe('fresh');
    expect(index.get('a')?.staleBy).toBeUndefined();
  });

  it('a rewrite with different tags relinks the entry', () => {
    const index = new TagIndex();
    index.upsert(entry('a', { tags: ['x'] }));
    index.upsert(entry('a', { tags: ['y'] }));
    expect(index.match(['x'], T0).matched).toEqual([]);
    expect(index.match(['y'], T0).matched).toHaveLength(1);
    expect([...index.tags()]).toEqual(['y']);
  });
});

describe('TagIndex: size cap', () => {
  it('evicts the least recently used entry past maxEntries and counts it', () => {
    const index = new TagIndex({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) index.upsert(entry(k));
    index.learnFromRead(entry('a', { source: 'get' })); // a is now most recent
    const res = index.upsert(entry('d'));
    expect(res.evicted.map((e) => e.key)).toEqual(['b']);
    expect(index.size).toBe(3);
    expect(index.evicted).toBe(1);
    expect(index.get('b')).toBeUndefined();
    expect(
      index
        .match(['dashboard-data'], T0)
        .matched.map((m) => m.key)
        .sort(),
    ).toEqual(['a', 'c', 'd']);
  });
});
