/**
 * Selectors over the store that compute lists (requests, rows, facets, tags…). One memoised set per store,
 * keyed on the identity of their inputs, so `useStore(store, selector)` gets the same array back until an
 * input really changed (and a burst re-renders only what changed).
 */
import { FacetCounter } from './filters.js';
import { filterFindings, openFindingCount } from './findings.js';
import { memoizeLast } from './memo.js';
import { RequestGrouper, lastRequest } from './requests.js';
import { filterRevalidations } from './revalidations.js';
import type { OverlayState, OverlayStore } from './store.js';
import { buildTagRows, filterTagRows, tagDetail } from './tags.js';
import { TimelineBuilder } from './timeline.js';
import type { CacheScopeEvent, FacetCounts, Finding, RequestGroup, Revalidation, TagDetail, TagRow, TimelineRow } from './types.js';

export interface Derived {
  groups(state: OverlayState): RequestGroup[];
  timeline(state: OverlayState): TimelineRow[];
  facets(state: OverlayState): FacetCounts;
  /** Facet counts for given groups (the Facets view computes them from a deferred copy of the groups). */
  facetsFor(groups: readonly RequestGroup[], filters: OverlayState['filters']): FacetCounts;
  allTags(state: OverlayState): TagRow[];
  tags(state: OverlayState): TagRow[];
  tagDetail(state: OverlayState): TagDetail | null;
  revalidations(state: OverlayState): Revalidation[];
  findings(state: OverlayState): Finding[];
  eventsById(state: OverlayState): ReadonlyMap<number, CacheScopeEvent>;
  openFindings(state: OverlayState): number;
  lastRequestCalls(state: OverlayState): number;
}

export function createDerived(): Derived {
  const grouper = new RequestGrouper();
  const groupsOf = memoizeLast((events: readonly CacheScopeEvent[]) => grouper.group(events));
  const timeline = new TimelineBuilder();
  const facetCounter = new FacetCounter();
  const timelineOf = memoizeLast(timeline.rows.bind(timeline));
  const facetsOf = memoizeLast(facetCounter.count.bind(facetCounter));
  const allTagsOf = memoizeLast(buildTagRows);
  const tagsOf = memoizeLast(filterTagRows);
  const tagDetailOf = memoizeLast(tagDetail);
  const revalidationsOf = memoizeLast(filterRevalidations);
  const findingsOf = memoizeLast(filterFindings);
  const byIdOf = memoizeLast((events: readonly CacheScopeEvent[]) => new Map(events.map((e) => [e.id, e])));
  const openOf = memoizeLast(openFindingCount);
  const lastCallsOf = memoizeLast((groups: RequestGroup[]) => lastRequest(groups)?.calls.length ?? 0);

  const derived: Derived = {
    groups: (s) => groupsOf(s.events),
    timeline: (s) => timelineOf(derived.groups(s), s.filters, s.sort.requests),
    facets: (s) => facetsOf(derived.groups(s), s.filters),
    facetsFor: (groups, filters) => facetsOf(groups, filters),
    allTags: (s) => allTagsOf(s.analysis),
    tags: (s) => tagsOf(derived.allTags(s), s.filters, s.sort.tags),
    tagDetail: (s) => {
      const row = s.selectedTag === null ? undefined : derived.allTags(s).find((r) => r.tag === s.selectedTag);
      return row ? tagDetailOf(row, s.analysis, s.events) : null;
    },
    revalidations: (s) => revalidationsOf(s.analysis.revalidations, s.filters, s.sort.revalidations),
    findings: (s) => findingsOf(s.analysis.findings, s.filters, s.sort.findings),
    eventsById: (s) => byIdOf(s.events),
    openFindings: (s) => openOf(s.analysis.findings),
    lastRequestCalls: (s) => lastCallsOf(derived.groups(s)),
  };
  return derived;
}

const perStore = new WeakMap<OverlayStore, Derived>();

/** The memoised selectors of one store. */
export function derivedFor(store: OverlayStore): Derived {
  let derived = perStore.get(store);
  if (!derived) {
    derived = createDerived();
    perStore.set(store, derived);
  }
  return derived;
}
