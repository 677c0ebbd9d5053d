import { describe, expect, it } from 'vitest';
import { decideFetch, type FetchFacts } from './decision.js';
import { HARD_REFRESH_REASON } from './reasons.js';

const base: FetchFacts = { lookup: 'none', originCalled: true, stored: false, declared: {}, workUnit: 'request' };
const f = (over: Partial<FetchFacts>): FetchFacts => ({ ...base, ...over });

describe('decideFetch: Next misreports corrected', () => {
  it('a cold miss reported as skip "hard refresh" is a miss', () => {
    const v = decideFetch(
      f({ lookup: 'miss', stored: true, declared: { cache: 'force-cache' }, nextStatus: 'skip', nextReason: HARD_REFRESH_REASON }),
    );
    expect(v).toMatchObject({ decision: 'miss', reasonCode: 'cold-miss' });
    expect(v.devArtefact).toBeUndefined();
    expect(v.reason).toMatch(/fetched from the origin and stored/);
  });

  it('the same report is a miss even when the lookup was not seen (no handler hook)', () => {
    const v = decideFetch(f({ lookup: 'none', stored: false, nextStatus: 'skip', nextReason: HARD_REFRESH_REASON }));
    expect(v.decision).toBe('miss');
  });

  it('the override wins over a handler hit that Next then dropped (read-your-writes)', () => {
    const v = decideFetch(f({ lookup: 'hit', stored: true, nextStatus: 'skip', nextReason: HARD_REFRESH_REASON }));
    expect(v.decision).toBe('miss');
  });

  it('a real browser hard refresh in dev is a skip labelled as a dev artefact', () => {
    const v = decideFetch(
      f({ lookup: 'none', stored: true, requestNoCache: true, nextStatus: 'skip', nextReason: HARD_REFRESH_REASON, dev: true }),
    );
    expect(v).toMatchObject({ decision: 'skip', reasonCode: 'hard-refresh', devArtefact: 'hard-refresh' });
    expect(v.reason).toMatch(/hard refresh/);
  });

  it("a dev hard refresh without Next's own report (no lookup, a write) is the same skip, stored", () => {
    const v = decideFetch(
      f({ lookup: 'none', originCalled: true, stored: true, requestNoCache: true, dev: true, declared: { cache: 'force-cache' } }),
    );
    expect(v).toMatchObject({ decision: 'skip', reasonCode: 'hard-refresh', devArtefact: 'hard-refresh' });
    expect(v.reason).toMatch(/the fresh response was stored/);
  });

  it('cache-control: no-cache outside dev is not a hard refresh (next start ignores it)', () => {
    const v = decideFetch(
      f({ lookup: 'miss', stored: true, requestNoCache: true, dev: false, nextStatus: 'skip', nextReason: HARD_REFRESH_REASON }),
    );
    expect(v.decision).toBe('miss');
    expect(v.devArtefact).toBeUndefined();
  });

  it('a stale hit reported as hit is stale (hit followed by an origin call)', () => {
    const v = decideFetch(f({ lookup: 'hit', originCalled: true, stored: true, nextStatus: 'hit', nextReason: 'revalidate: 4294967294' }));
    expect(v).toMatchObject({ decision: 'stale', reasonCode: 'stale' });
  });

  it('a lookup the handler marked stale is stale', () => {
    expect(decideFetch(f({ lookup: 'stale', originCalled: false, nextStatus: 'hit' })).decision).toBe('stale');
  });

  it('a stale entry refetched in the foreground (enclosing server cache) is a miss', () => {
    const v = decideFetch(f({ lookup: 'stale', originCalled: true, stored: true, staleForeground: true, workUnit: 'cache' }));
    expect(v).toMatchObject({ decision: 'miss', reasonCode: 'stale-foreground' });
  });

  it('the dev HMR cache is a hit labelled hmr', () => {
    const v = decideFetch(f({ lookup: 'none', originCalled: false, nextStatus: 'hmr' }));
    expect(v).toMatchObject({ decision: 'hit', devArtefact: 'hmr', reasonCode: 'hmr' });
    expect(decideFetch(f({ hmr: true, originCalled: false })).devArtefact).toBe('hmr');
  });

  it('no lookup and no origin call is deduped', () => {
    expect(decideFetch(f({ lookup: 'none', originCalled: false })).decision).toBe('deduped');
    expect(decideFetch(f({ deduped: true })).decision).toBe('deduped');
  });

  it('no lookup seen, no origin, but Next says hit: trusts Next', () => {
    expect(decideFetch(f({ lookup: 'none', originCalled: false, nextStatus: 'hit', nextReason: 'revalidate: 60' })).decision).toBe('hit');
  });
});

describe('decideFetch: hits and skips explained', () => {
  it('a fresh hit says why it was cached', () => {
    const v = decideFetch(
      f({ lookup: 'hit', originCalled: false, nextStatus: 'hit', nextReason: 'revalidate: 60', declared: { revalidate: 60 } }),
    );
    expect(v).toMatchObject({ decision: 'hit', reasonCode: 'revalidate' });
    expect(v.reason).toBe('served from the data cache: revalidate: 60s');
  });

  it('a hit whose Next reason reads like a no-store (force-cache inside unstable_cache) quotes Next instead of contradicting itself', () => {
    const v = decideFetch(
      f({ lookup: 'hit', originCalled: false, nextStatus: 'hit', nextReason: 'fetchCache = force-no-store', workUnit: 'unstable-cache' }),
    );
    expect(v.decision).toBe('hit');
    expect(v.reasonCode).toBe('stored-earlier');
    expect(v.reason).toContain('"fetchCache = force-no-store"');
    expect(v.reason).not.toMatch(/forced to no-store/);
  });

  it("a hit of a fetch without a cache option never reads as 'auto no cache' (the derived reason cannot see segment config)", () => {
    const v = decideFetch(f({ lookup: 'hit', originCalled: false, declared: {}, workUnit: 'request' }));
    expect(v).toMatchObject({ decision: 'hit', reasonCode: 'stored-earlier' });
    expect(v.reason).not.toMatch(/no cache|not cached|no-store/);
  });

  it("the broken pattern: skip, 'auto no cache', naming the forwarded Cookie header", () => {
    const v = decideFetch(f({ declared: { cache: undefined }, forwarded: ['cookie'], nextStatus: 'skip', nextReason: 'auto no cache' }));
    expect(v.decision).toBe('skip');
    expect(v.reasonCode).toBe('auto-no-cache');
    expect(v.reason).toBe(
      'no cache option in a request render (Next 15+/16 default: not cached); it forwarded the Cookie header, so the response is per-user',
    );
  });

  it('a miss that was not stored says why', () => {
    const v = decideFetch(f({ lookup: 'miss', stored: false, status: 500, declared: { cache: 'force-cache' } }));
    expect(v).toMatchObject({ decision: 'miss', reasonCode: 'not-stored' });
    expect(v.reason).toMatch(/status 500/);
  });
});

describe('decideFetch without Next reason (16.0–16.2, or no OTel provider): re-derived', () => {
  it.each([
    [{ declared: {}, workUnit: 'request' as const }, 'auto-no-cache'],
    [{ declared: { cache: 'no-store' } }, 'cache-no-store'],
    [{ declared: { revalidate: 0 } }, 'revalidate-0'],
    [{ declared: {}, workUnit: 'unstable-cache' as const }, 'unstable-cache-force-no-store'],
    [{ declared: {}, inAction: true }, 'action-default-no-store'],
    [{ declared: {}, noStoreCall: true }, 'no-store-call'],
    [{ declared: {}, segmentFetchCache: 'force-no-store' as const }, 'segment-force-no-store'],
  ])('%o -> skip %s', (over, code) => {
    const v = decideFetch(f(over));
    expect(v.decision).toBe('skip');
    expect(v.reasonCode).toBe(code);
  });

  it('a cacheable fetch whose lookup was not seen is a miss, or a hard refresh in dev', () => {
    expect(decideFetch(f({ declared: { cache: 'force-cache' }, stored: false })).decision).toBe('miss');
    expect(decideFetch(f({ declared: { revalidate: 60 }, stored: true })).decision).toBe('miss');
    const hr = decideFetch(f({ declared: { cache: 'force-cache' }, requestNoCache: true }));
    expect(hr).toMatchObject({ decision: 'skip', devArtefact: 'hard-refresh' });
  });
});
