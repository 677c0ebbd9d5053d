import { describe, expect, it } from 'vitest';
import { tagFate } from './tag-fate.js';

describe('tagFate', () => {
  it('the broken pattern: uncached fetch in a request render drops its tags, naming the reason', () => {
    const fate = tagFate(['dashboard-data'], {
      stored: false,
      lookup: 'none',
      workUnit: 'request',
      decision: 'skip',
      reason: 'no cache option in a request render (Next 15+/16 default: not cached)',
    });
    expect(fate.attached).toEqual([]);
    expect(fate.dropped).toEqual(['dashboard-data']);
    expect(fate.dropReason).toContain('no cache option in a request render');
    expect(fate.dropReason).toContain("'request' work unit does not collect fetch tags");
  });

  it('a stored fetch (force-cache) attaches its tags to its own entry', () => {
    expect(tagFate(['a', 'b'], { stored: true, lookup: 'miss', workUnit: 'request' })).toEqual({
      attached: ['a', 'b'],
      dropped: [],
      attachedTo: 'own-entry',
    });
  });

  it.each(['hit', 'stale'] as const)('a fetch served from the cache (%s) carries its tags', (lookup) => {
    expect(tagFate(['a'], { stored: false, lookup, workUnit: 'request' }).attachedTo).toBe('own-entry');
  });

  it.each([
    ['cache', 'enclosing-cache'],
    ['private-cache', 'enclosing-cache'],
    ['prerender', 'prerender'],
    ['prerender-runtime', 'prerender'],
    ['prerender-client', 'prerender'],
    ['prerender-legacy', 'prerender'],
    ['validation-client', 'prerender'],
  ] as const)('an uncached fetch in a %s unit is collected (%s)', (workUnit, target) => {
    const fate = tagFate(['a'], { stored: false, lookup: 'none', workUnit, decision: 'skip' });
    expect(fate.attached).toEqual(['a']);
    expect(fate.dropped).toEqual([]);
    expect(fate.attachedTo).toBe(target);
  });

  it.each(['unstable-cache', 'build-time-generator'] as const)('an uncached fetch in a %s unit loses its tags', (workUnit) => {
    const fate = tagFate(['a'], { stored: false, lookup: 'none', workUnit });
    expect(fate.dropped).toEqual(['a']);
  });

  it('inside unstable_cache the drop reason points at the unstable_cache tags option', () => {
    const fate = tagFate(['a'], { stored: false, lookup: 'none', workUnit: 'unstable-cache' });
    expect(fate.dropReason).toMatch(/unstable_cache's tags option/);
  });

  it('a deduped call inherits the original call and reports nothing; empty and repeated tags are handled', () => {
    expect(tagFate(['a'], { stored: false, lookup: 'none', workUnit: 'request', decision: 'deduped' })).toEqual({
      attached: [],
      dropped: [],
    });
    expect(tagFate(undefined, { stored: false, lookup: 'none' })).toEqual({ attached: [], dropped: [] });
    expect(tagFate(['a', 'a'], { stored: true, lookup: 'miss' }).attached).toEqual(['a']);
  });
});
