/**
 * Text search and facet filters over calls: OR within a facet, AND across facets, and per-option counts
 * computed with every *other* facet applied (so a count says what clicking the option would show).
 */
import { callKind, callLabel, decisionReason, tagsOfCall } from './format.js';
import type { CallDecision, CallEvent, CallKind, FacetCounts, FacetName, FacetOption, Filters, RequestGroup } from './types.js';

export const FACETS: readonly FacetName[] = ['kind', 'decision', 'route', 'tag'];
const KIND_ORDER: readonly CallKind[] = ['fetch', 'unstable_cache', 'use cache', 'revalidation'];
const DECISION_ORDER: readonly CallDecision[] = ['hit', 'stale', 'miss', 'skip', 'deduped'];
export const NO_ROUTE = '(no route)';

interface CallFacets {
  kind: string[];
  decision: string[];
  route: string[];
  tag: string[];
  text: string;
}

const cache = new WeakMap<CallEvent, CallFacets>();

/** The facet values and search text of a call (cached per event object: events never change). */
export function facetsOf(call: CallEvent, group?: RequestGroup): CallFacets {
  let facets = cache.get(call);
  if (!facets) {
    const route = call.route ?? group?.route ?? NO_ROUTE;
    const tags = tagsOfCall(call);
    facets = {
      kind: [callKind(call)],
      decision: call.type === 'revalidate-call' ? [] : [call.decision],
      route: [route],
      tag: tags,
      text: [callLabel(call), decisionReason(call), route, tags.join(' '), call.type === 'fetch' ? call.url : '', call.requestId ?? '']
        .join('\n')
        .toLowerCase(),
    };
    cache.set(call, facets);
  }
  return facets;
}

function passes(values: readonly string[], selected: readonly string[]): boolean {
  if (selected.length === 0) return true;
  for (const v of values) if (selected.includes(v)) return true;
  return false;
}

export function normaliseSearch(search: string): string {
  return search.trim().toLowerCase();
}

export function matchesSearch(text: string, needle: string): boolean {
  return needle === '' || text.includes(needle);
}

/** Does the call pass the search and every facet? */
export function callMatches(call: CallEvent, group: RequestGroup, filters: Filters, needle = normaliseSearch(filters.search)): boolean {
  const f = facetsOf(call, group);
  if (!matchesSearch(f.text, needle)) return false;
  for (const facet of FACETS) if (!passes(f[facet], filters[facet])) return false;
  return true;
}

type FacetTally = Record<FacetName, Map<string, number>>;

/** Counts of one request's calls (a request's calls never change once its group object exists). */
function tallyGroup(group: RequestGroup, filters: Filters, needle: string): FacetTally {
  const counts: FacetTally = { kind: new Map(), decision: new Map(), route: new Map(), tag: new Map() };
  const pass: Record<FacetName, boolean> = { kind: true, decision: true, route: true, tag: true };
  for (const call of group.calls) {
    const f = facetsOf(call, group);
    if (!matchesSearch(f.text, needle)) continue;
    let failing = 0;
    for (const facet of FACETS) {
      pass[facet] = passes(f[facet], filters[facet]);
      if (!pass[facet]) failing++;
    }
    if (failing > 1) continue;
    for (const facet of FACETS) {
      // counted when every other facet passes: none fails, or only this one does
      if (failing === 1 && pass[facet]) continue;
      const map = counts[facet];
      for (const value of f[facet]) map.set(value, (map.get(value) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Counts per facet option over the calls that match the search and the other facets. Per-request tallies are
 * cached per (group, filters), so a batch only counts the requests it touched.
 */
export class FacetCounter {
  private tallies = new WeakMap<RequestGroup, { filters: Filters; tally: FacetTally }>();

  count(groups: readonly RequestGroup[], filters: Filters): FacetCounts {
    const needle = normaliseSearch(filters.search);
    const totals: FacetTally = { kind: new Map(), decision: new Map(), route: new Map(), tag: new Map() };
    for (const group of groups) {
      let held = this.tallies.get(group);
      if (!held || held.filters !== filters) {
        held = { filters, tally: tallyGroup(group, filters, needle) };
        this.tallies.set(group, held);
      }
      for (const facet of FACETS) {
        const into = totals[facet];
        for (const [value, n] of held.tally[facet]) into.set(value, (into.get(value) ?? 0) + n);
      }
    }
    return {
      kind: options(totals.kind, filters.kind, KIND_ORDER),
      decision: options(totals.decision, filters.decision, DECISION_ORDER),
      route: options(totals.route, filters.route),
      tag: options(totals.tag, filters.tag),
    };
  }
}

function options(counts: Map<string, number>, selected: readonly string[], order?: readonly string[]): FacetOption[] {
  const values = new Set([...(order ?? []).filter((v) => counts.has(v)), ...counts.keys(), ...selected]);
  const out = [...values].map((value) => ({ value, count: counts.get(value) ?? 0, selected: selected.includes(value) }));
  if (!order) out.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return out;
}

export function hasActiveFilters(filters: Filters): boolean {
  return filters.search.trim() !== '' || FACETS.some((f) => filters[f].length > 0);
}
