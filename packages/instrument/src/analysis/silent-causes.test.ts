// Causes Next is silent about (#12 item 7): a tag passed as an unstable_cache key part, updateTag's
// re-render of the current route, and non-ASCII tags Next stores percent-encoded.
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.js';
import { ingestEach } from '../../test/support/ingest.js';
import type {
  CacheScopeEvent,
  FetchEvent,
  NoopRevalidationFinding,
  OrphanedTagFinding,
  RevalidateApi,
  RevalidationCommitEvent,
} from '../protocol/events.js';
import { shortHash } from './hash.js';

const T0 = 1_795_695_000_000;
const base = (id: number, requestId = `q${id}`) => ({ id, ts: T0 + id, pid: 1, requestId, route: '/traps/x' });

const unstableCall = (id: number, keyParts: string[], tags: string[] = []): CacheScopeEvent => ({
  ...base(id),
  type: 'unstable-cache',
  keyHash: 'h',
  fnName: keyParts[0],
  tags,
  decision: 'miss',
  keyPartHashes: keyParts.map(shortHash),
});
const revalidateCall = (
  id: number,
  api: RevalidateApi,
  written: string,
  encoded: string,
  requestKind: 'action' | 'route-handler' = 'action',
): CacheScopeEvent => ({
  ...base(id),
  type: 'revalidate-call',
  api,
  args: api === 'revalidateTag' ? [written, 'max'] : [written],
  tags: [encoded],
  ...(api === 'revalidateTag' ? { profile: 'max' } : {}),
  requestKind,
  phase: 'action',
});
const commit = (
  id: number,
  tag: string,
  requestId: string,
  mode: RevalidationCommitEvent['mode'] = 'expire-now',
  requestKind: 'action' | 'route-handler' = 'action',
): RevalidationCommitEvent => ({
  ...base(id, requestId),
  type: 'revalidation-commit',
  handler: 'incremental',
  tags: [tag],
  mode,
  requestKind,
  phase: 'action',
});
const set = (id: number, key: string, tags: string[]): CacheScopeEvent => ({
  ...base(id),
  type: 'cache-set',
  handler: 'incremental',
  kind: 'FETCH',
  key,
  tags,
});

describe('a tag passed as an unstable_cache key part', () => {
  it('the orphan says it was a key part of the named call and how to move it to tags; the no-op says so too', () => {
    const a = createAnalyzer();
    ingestEach(a, [unstableCall(1, ['posts-list', 'posts']), revalidateCall(2, 'updateTag', 'posts', 'posts'), commit(3, 'posts', 'q2')]);
    const orphan = a.findings().find((f) => f.kind === 'orphaned-tag') as OrphanedTagFinding;
    expect(orphan).toMatchObject({ cause: 'revalidated-never-declared', keyPartOf: { fnName: 'posts-list' }, severity: 'error' });
    expect(orphan.message).toContain('it was passed to unstable_cache ("posts-list") as a key part');
    expect(orphan.message).not.toContain('no call declared it');
    expect(orphan.fix.text).toContain('unstable_cache(fn, keyParts, { tags: ["posts"] })');
    expect(orphan.evidence).toEqual([1, 2, 3]);
    expect(orphan.suggestion).toBeUndefined();
    const noop = a.findings().find((f) => f.kind === 'noop-revalidation') as NoopRevalidationFinding;
    expect(noop.message).toContain('passed to unstable_cache as a key part');
    expect(noop.fix.text).toContain('{ tags: ["posts"] }');
  });

  it('names no call when the tag is the first key part (the name itself)', () => {
    const a = createAnalyzer();
    ingestEach(a, [unstableCall(1, ['posts']), revalidateCall(2, 'updateTag', 'posts', 'posts'), commit(3, 'posts', 'q2')]);
    const orphan = a.findings().find((f) => f.kind === 'orphaned-tag') as OrphanedTagFinding;
    expect(orphan.keyPartOf).toEqual({});
    expect(orphan.message).toContain('it was passed to unstable_cache as a key part');
  });

  it('a key part that some call also declares as a tag is not blamed on the key part', () => {
    const a = createAnalyzer();
    ingestEach(a, [
      unstableCall(1, ['list', 'posts']),
      unstableCall(2, ['other'], ['posts']),
      revalidateCall(3, 'updateTag', 'posts', 'posts'),
      commit(4, 'posts', 'q3'),
    ]);
    const orphan = a.findings().find((f) => f.kind === 'orphaned-tag') as OrphanedTagFinding | undefined;
    expect(orphan?.keyPartOf).toBeUndefined();
  });

  it('an unrelated never-declared tag keeps the plain message', () => {
    const a = createAnalyzer();
    ingestEach(a, [
      unstableCall(1, ['list', 'posts']),
      revalidateCall(2, 'updateTag', 'comments', 'comments'),
      commit(3, 'comments', 'q2'),
    ]);
    const orphan = a.findings().find((f) => f.kind === 'orphaned-tag') as OrphanedTagFinding;
    expect(orphan.keyPartOf).toBeUndefined();
    expect(orphan.message).toContain('no call declared it');
  });
});

describe("updateTag's re-render of the current route", () => {
  it('an expire-now revalidation in a Server Action notes the re-render on the record and on the commit, matched or not', () => {
    const a = createAnalyzer();
    const c = commit(2, 'elsewhere', 'q1');
    ingestEach(a, [revalidateCall(1, 'updateTag', 'elsewhere', 'elsewhere'), c]);
    const [rev] = a.revalidations();
    expect(rev!.notes).toHaveLength(1);
    expect(rev!.notes![0]).toContain('updateTag("elsewhere") also made Next re-render the current route (/traps/x)');
    expect(rev!.notes![0]).toContain('whether or not the route reads "elsewhere"');
    expect(rev!.notes![0]).toContain('(0 here)');
    expect(c.notes).toEqual(rev!.notes);
  });

  it('a stale-while-revalidate revalidateTag does not re-render, and nothing outside an action does', () => {
    const a = createAnalyzer();
    const swr = commit(2, 't', 'q1', 'stale-while-revalidate');
    const handler = commit(4, 'u', 'q3', 'expire-now', 'route-handler');
    ingestEach(a, [
      set(0, 'k', ['t']),
      revalidateCall(1, 'revalidateTag', 't', 't'),
      swr,
      revalidateCall(3, 'revalidateTag', 'u', 'u', 'route-handler'),
      handler,
    ]);
    expect(a.revalidations().map((r) => r.notes)).toEqual([undefined, undefined]);
    expect(swr.notes).toBeUndefined();
    expect(handler.notes).toBeUndefined();
  });
});

describe('non-ASCII tags (Next 16.5 percent-encodes them when attaching and invalidating)', () => {
  const fetchWith = (id: number, tag: string): FetchEvent => ({
    ...base(id),
    type: 'fetch',
    method: 'GET',
    url: 'http://x/y',
    declared: { cache: 'force-cache', tags: [tag] },
    decision: 'miss',
    reason: 'r',
    reasonCode: 'force-cache',
    cacheKey: 'k',
    tagsAttached: [tag],
    tagsAttachedTo: 'own-entry',
    tagsDropped: [],
  });

  it('the declared form and the stored form are one tag, matched by the revalidation and shown as written', () => {
    const a = createAnalyzer();
    const c = commit(4, 'caf%C3%A9', 'q3');
    ingestEach(a, [fetchWith(1, 'café'), set(2, 'k', ['caf%C3%A9']), revalidateCall(3, 'updateTag', 'café', 'caf%C3%A9'), c]);
    expect(c.matched).toEqual([expect.objectContaining({ key: 'k', tag: 'caf%C3%A9' })]);
    const tags = a.snapshot().tags.filter((t) => t.tag.startsWith('caf'));
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatchObject({ tag: 'caf%C3%A9', written: 'café', declared: 1, attached: 1, revalidated: 1 });
    expect(a.findings()).toEqual([]);
  });

  it('an entry stored with the raw form (an older Next or a custom handler) is matched too', () => {
    const a = createAnalyzer();
    const c = commit(3, 'caf%C3%A9', 'q2');
    ingestEach(a, [set(1, 'k', ['café']), revalidateCall(2, 'updateTag', 'café', 'caf%C3%A9'), c]);
    expect(c.matched).toEqual([expect.objectContaining({ key: 'k' })]);
  });

  it('a dropped non-ASCII tag is not orphaned while its stored entry is live, and findings show the written form', () => {
    const a = createAnalyzer();
    const dropped: FetchEvent = { ...fetchWith(2, 'thé'), decision: 'skip', tagsAttached: [], tagsDropped: ['thé'], cacheKey: undefined };
    ingestEach(a, [set(1, 'k', ['th%C3%A9']), dropped]);
    expect(a.findings()).toEqual([]);
    ingestEach(a, [revalidateCall(3, 'revalidateTag', 'crème', 'cr%C3%A8me'), commit(4, 'cr%C3%A8me', 'q3', 'stale-while-revalidate')]);
    const orphan = a.findings().find((f) => f.kind === 'orphaned-tag') as OrphanedTagFinding;
    expect(orphan.tags).toEqual(['cr%C3%A8me']);
    expect(orphan.message).toContain('Tag "crème" was revalidated');
  });
});
