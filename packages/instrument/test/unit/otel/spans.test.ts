// Event -> span description mapping (pure): names, times, the cachescope.* attributes.
import { describe, expect, it } from 'vitest';
import type { CacheScopeEvent, FetchEvent, RevalidationCommitEvent } from '../../../src/protocol/events.js';
import { ATTR, SPAN_NAMES } from '../../../src/otel/attributes.js';
import { describeSpan, findingAttributes } from '../../../src/otel/spans.js';
import { loadFixture } from '../../support/fixtures.js';

const broken = loadFixture('handmade-broken-pattern').events;
const ucache = loadFixture('handmade-unstable-cache').events;
const byId = (events: CacheScopeEvent[], id: number) => events.find((e) => e.id === id)!;

describe('describeSpan', () => {
  it('maps a fetch to `cachescope fetch` with its decision, corrected reason, tags and Next’s own report', () => {
    const fetch = broken.find((e): e is FetchEvent => e.type === 'fetch')!;
    const spec = describeSpan(fetch)!;
    expect(spec.name).toBe(SPAN_NAMES.fetch);
    expect(spec.start).toBe(fetch.ts);
    expect(spec.end).toBe(fetch.ts + fetch.durationMs!);
    expect(spec.attributes).toMatchObject({
      [ATTR.eventId]: fetch.id,
      [ATTR.route]: '/broken',
      [ATTR.decision]: 'skip',
      [ATTR.reasonCode]: 'auto-no-cache',
      [ATTR.reason]: fetch.reason,
      [ATTR.tagsDeclared]: ['dashboard-data'],
      [ATTR.tagsDropped]: ['dashboard-data'],
      [ATTR.fetchForwarded]: ['cookie'],
      [ATTR.scope]: fetch.scope,
      [ATTR.nextCacheStatus]: 'skip',
      [ATTR.nextCacheReason]: 'auto no cache',
    });
    expect(spec.attributes[ATTR.tagsAttached]).toBeUndefined(); // empty lists are left out
    expect(spec.attributes[ATTR.workUnit]).toBeUndefined(); // 'request' is the default
    expect(spec.attributes[ATTR.phase]).toBeUndefined(); // so is 'render'
    expect(spec.creates).toBeUndefined(); // a skip writes no entry
  });

  it('omits Next’s report when it was not seen (16.0–16.2, NEXT_OTEL_FETCH_DISABLED)', () => {
    const fetch = { ...broken.find((e): e is FetchEvent => e.type === 'fetch')!, nextStatus: undefined, nextReason: undefined };
    const attrs = describeSpan(fetch)!.attributes;
    expect(attrs[ATTR.nextCacheStatus]).toBeUndefined();
    expect(attrs[ATTR.decision]).toBe('skip');
  });

  it('maps unstable_cache calls; a miss creates the entry under its hashed key', () => {
    const miss = describeSpan(byId(ucache, 4))!;
    expect(miss.name).toBe(SPAN_NAMES.unstableCache);
    expect(miss.attributes).toMatchObject({
      [ATTR.decision]: 'miss',
      [ATTR.key]: '0a0a0a0a0a0a0a01',
      [ATTR.tags]: ['dashboard-data', 'dashboard-data:86f7e437faa5a7fc'],
    });
    expect(miss.creates).toBe('0a0a0a0a0a0a0a01');
    expect(describeSpan(byId(ucache, 6))!.creates).toBeUndefined(); // a hit writes nothing
  });

  it("maps 'use cache' calls with their cacheLife", () => {
    const useCache = loadFixture('handmade-use-cache').events.find((e) => e.type === 'use-cache')!;
    const spec = describeSpan(useCache)!;
    expect(spec.name).toBe(SPAN_NAMES.useCache);
    expect(spec.attributes[ATTR.functionId]).toBeTypeOf('string');
    expect(spec.attributes[ATTR.decision]).toBeTypeOf('string');
  });

  it('names revalidation calls by api (low cardinality: the tag is an attribute)', () => {
    const call = describeSpan(byId(ucache, 7))!;
    expect(call.name).toBe(SPAN_NAMES.revalidateTag);
    expect(call.name).not.toContain('dashboard-data');
    expect(call.attributes).toMatchObject({ [ATTR.revalidateApi]: 'revalidateTag', [ATTR.tags]: ['dashboard-data:86f7e437faa5a7fc'] });
    const path = describeSpan(byId(ucache, 17))!;
    expect(path.name).toBe(SPAN_NAMES.revalidatePath);
  });

  it('maps a commit to `cachescope revalidation` with the matched-entry count; folded duplicates get no span', () => {
    const commit: RevalidationCommitEvent = {
      ...(byId(ucache, 8) as RevalidationCommitEvent),
      matched: [{ key: 'k1', kind: 'UNSTABLE_CACHE', route: '/ucache', scope: 's1', via: 'tag', tag: 't' }],
    };
    const spec = describeSpan(commit)!;
    expect(spec.name).toBe(SPAN_NAMES.revalidation);
    expect(spec.attributes).toMatchObject({
      [ATTR.mode]: 'stale-while-revalidate',
      [ATTR.matchedCount]: 1,
      [ATTR.matchedKeys]: ['k1'],
      [ATTR.matchedKinds]: ['UNSTABLE_CACHE'],
      [ATTR.matchedRoutes]: ['/ucache'],
      [ATTR.matchedScopes]: 1,
    });
    expect(describeSpan({ ...commit, coalescedInto: 7 })).toBeUndefined();
    expect(describeSpan({ ...commit, matched: [] })!.attributes[ATTR.matchedCount]).toBe(0);
  });

  it('caps list attributes', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, kind: 'FETCH' as const, via: 'tag' as const, tag: 't' }));
    const spec = describeSpan({ ...(byId(ucache, 8) as RevalidationCommitEvent), matched: many })!;
    expect(spec.attributes[ATTR.matchedCount]).toBe(50);
    expect(spec.attributes[ATTR.matchedKeys]).toHaveLength(20);
  });

  it('gives cache I/O, dynamic API reads, seeds and internal errors no span of their own', () => {
    for (const type of ['cache-get', 'cache-set', 'dynamic-api', 'seed-entry', 'internal-error']) {
      const event = [...broken, ...ucache, ...loadFixture('handmade-seed').events].find((e) => e.type === type);
      if (event) expect(describeSpan(event), type).toBeUndefined();
    }
  });

  it('uses only the documented attribute names (ATTR), all under cachescope.*', () => {
    const documented = new Set<string>(Object.values(ATTR));
    const events = [...loadFixture('golden-prod').events, ...loadFixture('golden-dev').events, ...broken, ...ucache];
    for (const event of events) {
      const spec = describeSpan(event);
      if (!spec) continue;
      for (const key of Object.keys(spec.attributes)) {
        expect(key).toMatch(/^cachescope\./);
        expect(documented.has(key), key).toBe(true);
      }
    }
    expect(Object.keys(findingAttributes(sampleFinding())).every((k) => documented.has(k))).toBe(true);
  });
});

function sampleFinding() {
  return {
    id: 'noop-revalidation:revalidateTag:t',
    kind: 'noop-revalidation' as const,
    severity: 'error' as const,
    tags: ['t'],
    message: 'matched nothing',
    evidence: [1, 2],
    fix: { pattern: 'pattern-1' as const, text: 'do this' },
    count: 2,
    firstTs: 1,
    lastTs: 2,
    api: 'revalidateTag' as const,
    noops: 2,
    effective: 0,
  };
}

describe('findingAttributes', () => {
  it('carries kind, severity, message and fix', () => {
    const finding = sampleFinding();
    expect(findingAttributes(finding)).toEqual({
      [ATTR.findingId]: finding.id,
      [ATTR.findingKind]: 'noop-revalidation',
      [ATTR.findingSeverity]: 'error',
      [ATTR.findingMessage]: 'matched nothing',
      [ATTR.findingFix]: 'do this',
      [ATTR.findingFixPattern]: 'pattern-1',
      [ATTR.findingTags]: ['t'],
      [ATTR.findingCount]: 2,
    });
  });
});
