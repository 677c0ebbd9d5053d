// @vitest-environment node
// Pure view logic over the real snapshot captured from apps/demo.
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../src/store/constants.js';
import { FacetCounter } from '../src/store/filters.js';
import { filterFindings, openFindingCount, resolveEvidence } from '../src/store/findings.js';
import { findingMarkdown } from '../src/store/markdown.js';
import { RequestGrouper, lastRequest } from '../src/store/requests.js';
import { filterRevalidations } from '../src/store/revalidations.js';
import { buildTagRows, filterTagRows } from '../src/store/tags.js';
import { TimelineBuilder } from '../src/store/timeline.js';
import { decisionReason, isNoop, revalidationLabel } from '../src/store/format.js';
import type { Analysis, Filters, UseCacheEvent } from '../src/store/types.js';
import { loadDemoSnapshot } from './support/fixture.js';

const snapshot = loadDemoSnapshot();
const analysis: Analysis = { tags: snapshot.tags, revalidations: snapshot.revalidations, findings: snapshot.findings };
const groups = new RequestGrouper().group(snapshot.events);
const calls = groups.flatMap((g) => g.calls);
const filters = (patch: Partial<Filters>): Filters => ({ ...EMPTY_FILTERS, ...patch });

describe('requests and timeline', () => {
  it('groups events by request with the route and the request kind', () => {
    const broken = groups.filter((g) => g.route === '/broken');
    expect(broken.map((g) => g.kind)).toContain('page');
    expect(broken.map((g) => g.kind)).toContain('action');
    const action = broken.find((g) => g.kind === 'action')!;
    expect(action.calls.some((c) => c.type === 'revalidate-call')).toBe(true);
    expect(broken.find((g) => g.kind === 'page')!.dynamicReads.length).toBeGreaterThan(0);
  });

  it('keeps unchanged groups by identity when events are appended', () => {
    const grouper = new RequestGrouper();
    const first = grouper.group(snapshot.events.slice(0, 100));
    const second = grouper.group(snapshot.events.slice(0, 120));
    const unchanged = first.filter((g) => g.firstId < 100 && second.find((s) => s.requestId === g.requestId) === g);
    expect(unchanged.length).toBeGreaterThan(0);
  });

  it('lists a header, the calls and the dynamic reads of each request, newest first', () => {
    const rows = new TimelineBuilder().rows(groups, EMPTY_FILTERS, 'newest');
    expect(rows[0]!.type).toBe('request');
    const callRows = rows.filter((r) => r.type === 'call');
    expect(callRows).toHaveLength(calls.length);
    const headers = rows.filter((r) => r.type === 'request').map((r) => r.group.firstId);
    expect(headers).toEqual([...headers].sort((a, b) => b - a));
  });

  it('filters by facet and by text', () => {
    const skips = new TimelineBuilder().rows(groups, filters({ decision: ['skip'] }), 'oldest').filter((r) => r.type === 'call');
    expect(skips.length).toBeGreaterThan(0);
    expect(skips.every((r) => r.type === 'call' && r.call.type !== 'revalidate-call' && r.call.decision === 'skip')).toBe(true);
    const text = new TimelineBuilder().rows(groups, filters({ search: 'pattern=broken' }), 'oldest').filter((r) => r.type === 'call');
    expect(text.length).toBeGreaterThan(0);
    expect(text.every((r) => r.type === 'call' && r.call.route === '/broken')).toBe(true);
  });

  it('counts facet options with the other facets applied', () => {
    const all = new FacetCounter().count(groups, EMPTY_FILTERS);
    const byKind = Object.fromEntries(all.kind.map((o) => [o.value, o.count]));
    expect(byKind.fetch).toBe(calls.filter((c) => c.type === 'fetch').length);
    expect(byKind.revalidation).toBe(calls.filter((c) => c.type === 'revalidate-call').length);
    const onlyFetch = new FacetCounter().count(groups, filters({ kind: ['fetch'] }));
    // the kind facet still counts every kind (own facet not applied) ...
    expect(onlyFetch.kind.find((o) => o.value === 'unstable_cache')!.count).toBe(byKind.unstable_cache);
    // ... while the decision facet only counts fetches now
    const fetchDecisions = onlyFetch.decision.reduce((n, o) => n + o.count, 0);
    expect(fetchDecisions).toBe(byKind.fetch);
    expect(onlyFetch.kind.find((o) => o.value === 'fetch')!.selected).toBe(true);
  });

  it('knows the last request', () => {
    expect(lastRequest(groups)!.route).toBe('/');
  });
});

describe('tags', () => {
  const rows = buildTagRows(analysis);
  it('marks the broken pattern tag ORPHANED with the dynamic reason', () => {
    const row = rows.find((r) => r.tag === 'dashboard-data')!;
    expect(row.status).toBe('orphaned');
    expect(row.liveEntries).toBe(0);
    expect(row.orphanReason).toContain('forwarded the Cookie header');
    expect(row.lastRevalidation).toMatchObject({ api: 'revalidateTag', matched: 0 });
  });

  it('counts live entries and user scopes, and flags never-revalidated tags', () => {
    const global = rows.find((r) => r.tag === 'p1:dashboard-data')!;
    expect(global).toMatchObject({ status: 'ok', liveEntries: 2, scopes: 2 });
    const bobs = rows.find((r) => r.tag.startsWith('p1:dashboard-data:') && r.status === 'never-revalidated');
    expect(bobs).toBeDefined();
  });

  it('shows a tag Next stores percent-encoded in the form the app wrote, and finds it by either', () => {
    const stored = encodeURIComponent('café');
    const base = analysis.tags[0]!;
    const encoded = buildTagRows({ ...analysis, tags: [{ ...base, tag: stored, written: 'café' }] }).find((r) => r.tag === stored)!;
    expect(encoded.written).toBe('café');
    expect(filterTagRows([encoded], filters({ search: 'café' }), 'name')).toHaveLength(1);
    expect(filterTagRows([encoded], filters({ search: '%C3%A9' }), 'name')).toHaveLength(1);
    expect(buildTagRows({ ...analysis, tags: [{ ...base, written: base.tag }] })[0]!.written).toBeUndefined();
  });

  it('sorts problems first and filters by text', () => {
    expect(filterTagRows(rows, EMPTY_FILTERS, 'status')[0]!.status).toBe('orphaned');
    expect(filterTagRows(rows, filters({ search: 'p2:' }), 'name').every((r) => r.tag.startsWith('p2:'))).toBe(true);
  });
});

describe('revalidations and findings', () => {
  it('a committed revalidation that matched nothing is a no-op', () => {
    const broken = snapshot.revalidations.find((r) => r.route === '/broken')!;
    expect(revalidationLabel(broken)).toBe('revalidateTag("dashboard-data", "max")');
    expect(isNoop(broken)).toBe(true);
    const everyone = snapshot.revalidations.find((r) => r.args[0] === 'p1:dashboard-data')!;
    expect(isNoop(everyone)).toBe(false);
    expect(everyone.matched).toHaveLength(2);
    const fewest = filterRevalidations(snapshot.revalidations, EMPTY_FILTERS, 'matched');
    expect(fewest[0]!.matched).toHaveLength(0);
  });

  it('sorts findings by severity and counts errors and warnings as open', () => {
    const sorted = filterFindings(snapshot.findings, EMPTY_FILTERS, 'severity');
    expect(sorted[0]!.severity).toBe('error');
    expect(openFindingCount(snapshot.findings)).toBe(snapshot.findings.filter((f) => f.severity !== 'info').length);
  });

  it('resolves evidence ids to links into the Requests and Revalidations views', () => {
    const orphan = snapshot.findings.find((f) => f.kind === 'orphaned-tag')!;
    const byId = new Map(snapshot.events.map((e) => [e.id, e]));
    const links = resolveEvidence(orphan.evidence, byId, snapshot.revalidations);
    expect(links.some((l) => l.tab === 'requests' && l.label.includes('fetch POST'))).toBe(true);
    expect(links.some((l) => l.tab === 'revalidations')).toBe(true);
    expect(resolveEvidence([999_999], byId, [])[0]).toMatchObject({ held: false });
  });

  it("carries each evidence event's call site (its own, or its revalidation's) into the link and the Markdown", () => {
    const orphan = snapshot.findings.find((f) => f.kind === 'orphaned-tag')!;
    const site = { file: 'lib/patterns/broken.ts', line: 9, column: 21, fn: 'fetchAPI' };
    const callSite = 'fetchAPI (lib/patterns/broken.ts:9:21)';
    const events = snapshot.events.map((e) => (e.type === 'fetch' ? { ...e, site, callSite } : e));
    const byId = new Map(events.map((e) => [e.id, e]));
    const revSite = { file: 'app/broken/actions.ts', line: 6, column: 3, fn: 'refreshMine' };
    const revalidations = snapshot.revalidations.map((r) => ({ ...r, site: revSite, callSite: 'refreshMine (app/broken/actions.ts:6:3)' }));
    const links = resolveEvidence(orphan.evidence, byId, revalidations);
    expect(links.find((l) => l.label.includes('fetch POST'))).toMatchObject({ site, callSite });
    expect(links.find((l) => l.tab === 'revalidations')).toMatchObject({ site: revSite });
    const md = findingMarkdown(orphan, links);
    expect(md).toContain('at `fetchAPI (lib/patterns/broken.ts:9:21)`');
    expect(md).toContain('at `refreshMine (app/broken/actions.ts:6:3)`');
  });

  it('copies a finding as Markdown with the why, the fix in the article terms, and the evidence', () => {
    const orphan = snapshot.findings.find((f) => f.kind === 'orphaned-tag')!;
    const byId = new Map(snapshot.events.map((e) => [e.id, e]));
    const md = findingMarkdown(orphan, resolveEvidence(orphan.evidence, byId, snapshot.revalidations));
    expect(md).toContain('### Orphaned tag — `dashboard-data` (warning)');
    expect(md).toContain('**Why the call skipped the cache:** no cache option in a request render');
    expect(md).toContain('**Fix — Pattern 1: unstable_cache');
    expect(md).toContain("Pattern 2: 'use cache'");
    expect(md).toContain('**Evidence**');
  });
});

describe("a 'use cache' call whose cache handler failed", () => {
  it("says the handler's get() failed in the instrument's words, else the decision's", () => {
    const base: UseCacheEvent = {
      id: 1,
      ts: 1,
      pid: 1,
      type: 'use-cache',
      requestKind: 'page',
      functionId: 'f',
      handlerKind: 'default',
      tags: [],
      decision: 'skip',
    };
    const failed = {
      ...base,
      reason:
        "the 'default' cache handler's get() failed, so the 'use cache' entry was neither read nor written (the app received the error)",
      error: 'Error: boom',
    };
    expect(decisionReason(failed)).toBe(failed.reason);
    expect(decisionReason(base)).toBe("the 'use cache' entry was bypassed (not read and not stored)");
  });
});

describe('incremental grouping', () => {
  it('matches a from-scratch grouping through appends, trims, out-of-order merges and resets', async () => {
    const { createOverlayStore } = await import('../src/store/store.js');
    const { makeEvents } = await import('./support/events.js');
    const store = createOverlayStore({ maxEvents: 300 });
    const incremental = new RequestGrouper();
    const shape = (gs: ReturnType<RequestGrouper['group']>) =>
      gs
        .map((g) => ({
          id: g.requestId,
          first: g.firstId,
          calls: g.calls.map((c) => c.id),
          dyn: g.dynamicReads.length,
          other: g.otherEvents,
        }))
        .sort((a, b) => a.first - b.first);
    let next = 1;
    for (let step = 0; step < 60; step++) {
      const { actions } = store.getState();
      if (step === 30) actions.reset();
      if (step % 7 === 3) {
        actions.applySnapshot({ events: makeEvents(Math.max(1, next - 40), 60) }); // overlaps, some out of order
        next = Math.max(next, Math.max(1, next - 40) + 60);
      } else {
        const size = 1 + ((step * 37) % 90);
        actions.applyBatch(makeEvents(next, size));
        next += size;
      }
      const events = store.getState().events;
      expect(shape(incremental.group(events))).toEqual(shape(new RequestGrouper().group(events)));
    }
  });
});
