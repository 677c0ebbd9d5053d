import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.js';
import { ingestEach } from '../../test/support/ingest.js';
import type { OrphanedTagFinding } from '../protocol/events.js';
import { encodeHeaderSafe } from './revalidate-semantics.js';
import { tagFate } from './tag-fate.js';
import { limitOf, tagsOverLimit } from './tag-limits.js';

const LONG = `x${'y'.repeat(256)}`;
const MANY = Array.from({ length: 130 }, (_, i) => `t${i}`);

describe("Next's tag limits", () => {
  it('without a stored list: a tag over 256 characters is dropped, and past 128 kept tags Next keeps one more (129) and drops the rest', () => {
    expect(tagsOverLimit(['a', LONG, 'b'])).toEqual([{ tag: LONG, limit: 'length' }]);
    expect(tagsOverLimit(MANY)).toEqual([{ tag: 't129', limit: 'count' }]);
    // a too-long tag does not count towards the 128
    expect(tagsOverLimit([LONG, ...MANY.slice(0, 129)])).toEqual([{ tag: LONG, limit: 'length' }]);
    expect(limitOf('z'.repeat(256))).toBe('count');
  });

  it('with the list Next stored: that list decides, compared in its encoded form', () => {
    const nonAscii = 'größe-日本';
    expect(tagsOverLimit([nonAscii, 'kept', 'gone'], [encodeHeaderSafe(nonAscii), 'kept'])).toEqual([{ tag: 'gone', limit: 'count' }]);
  });

  it('tag fate: a stored fetch attaches the tags Next kept and drops the others with the limit named', () => {
    const fate = tagFate(['a', LONG], { stored: true, lookup: 'miss', workUnit: 'request', decision: 'miss', nextTags: ['a'] });
    expect(fate).toMatchObject({ attached: ['a'], dropped: [LONG], overLimit: [LONG], attachedTo: 'own-entry' });
    expect(fate.dropReason).toMatch(/longer than 256 characters/);
    const many = tagFate(MANY, { stored: false, lookup: 'none', workUnit: 'prerender', decision: 'skip' });
    expect(many.attached).toHaveLength(129);
    expect(many).toMatchObject({ dropped: ['t129'], attachedTo: 'prerender' });
    expect(many.dropReason).toMatch(/more than 128 tags/);
  });
});

describe('analysis of a tag Next left off the entry', () => {
  it('a revalidation of it matches nothing; the orphan and the no-op name the limit and the fix', () => {
    const base = { pid: 1, requestId: 'r1', route: '/shapes/tag-limits', workUnit: 'request' as const, requestKind: 'page' as const };
    const analyzer = createAnalyzer({ now: () => 3_000 });
    ingestEach(analyzer, [
      { ...base, id: 1, ts: 1_000, type: 'cache-set', handler: 'incremental', kind: 'FETCH', key: 'k1', tags: ['ok'] },
      {
        ...base,
        id: 2,
        ts: 1_000,
        type: 'fetch',
        method: 'GET',
        url: 'http://origin.test/x',
        declared: { cache: 'force-cache', tags: ['ok', LONG] },
        decision: 'miss',
        reason: 'stored',
        reasonCode: 'cold-miss',
        cacheKey: 'k1',
        tagsAttached: ['ok'],
        tagsAttachedTo: 'own-entry',
        tagsDropped: [LONG],
        tagsOverLimit: [LONG],
      },
      {
        ...base,
        id: 3,
        ts: 2_000,
        type: 'revalidate-call',
        api: 'revalidateTag',
        args: [LONG, '{"expire":0}'],
        tags: [LONG],
        profile: { expire: 0 },
      },
      {
        ...base,
        id: 4,
        ts: 2_001,
        type: 'revalidation-commit',
        handler: 'incremental',
        tags: [LONG],
        mode: 'expire-now',
        expireSeconds: 0,
      },
    ]);
    const snap = analyzer.snapshot();
    expect(snap.revalidations[0]?.matched).toEqual([]);
    const orphan = snap.findings.find((f) => f.kind === 'orphaned-tag') as OrphanedTagFinding;
    expect(orphan).toMatchObject({ cause: 'over-tag-limit', limit: 'length', severity: 'error', tags: [LONG] });
    expect(orphan.message).toMatch(/longer than 256 characters/);
    expect(orphan.fix.text).toMatch(/256 characters or fewer/);
    const noop = snap.findings.find((f) => f.kind === 'noop-revalidation')!;
    expect(noop.message).toMatch(/longer than 256 characters/);
  });
});
