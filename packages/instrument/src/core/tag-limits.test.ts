import { describe, expect, it } from 'vitest';
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
