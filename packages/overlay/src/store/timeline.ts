/**
 * The Requests view as a flat list of fixed-height rows: request header, its calls, its dynamic API reads.
 * Each request's rows are cached per (group, filters), so a batch only builds rows for the requests it touched.
 */
import { callMatches, hasActiveFilters, normaliseSearch } from './filters.js';
import { callDuration } from './format.js';
import type { CallEvent, Filters, RequestGroup, SortState, TimelineRow } from './types.js';

interface Segment {
  filters: Filters;
  sort: SortState['requests'];
  /** Null when no call of the request matches the filters. */
  rows: TimelineRow[] | null;
  duration: number;
}

function totalDuration(calls: readonly CallEvent[]): number {
  let sum = 0;
  for (const call of calls) sum += callDuration(call) ?? 0;
  return sum;
}

function buildSegment(group: RequestGroup, filters: Filters, sort: SortState['requests']): Segment {
  const active = hasActiveFilters(filters);
  const needle = normaliseSearch(filters.search);
  const calls = active ? group.calls.filter((call) => callMatches(call, group, filters, needle)) : group.calls;
  if (active && calls.length === 0) return { filters, sort, rows: null, duration: 0 };
  const rows: TimelineRow[] = [{ type: 'request', key: `r:${group.requestId}`, group, shownCalls: calls.length }];
  const ordered = sort === 'slowest' ? [...calls].sort((a, b) => (callDuration(b) ?? 0) - (callDuration(a) ?? 0)) : calls;
  for (const call of ordered) rows.push({ type: 'call', key: `c:${call.id}`, group, call });
  if (group.dynamicReads.length > 0) rows.push({ type: 'dynamic', key: `d:${group.requestId}`, group });
  return { filters, sort, rows, duration: totalDuration(calls) };
}

export class TimelineBuilder {
  private segments = new WeakMap<RequestGroup, Segment>();

  private segment(group: RequestGroup, filters: Filters, sort: SortState['requests']): Segment {
    let segment = this.segments.get(group);
    if (!segment || segment.filters !== filters || segment.sort !== sort) {
      segment = buildSegment(group, filters, sort);
      this.segments.set(group, segment);
    }
    return segment;
  }

  rows(groups: readonly RequestGroup[], filters: Filters, sort: SortState['requests']): TimelineRow[] {
    let segments = groups.map((g) => this.segment(g, filters, sort)).filter((s) => s.rows !== null);
    if (sort === 'newest') segments.reverse();
    else if (sort === 'slowest') segments = segments.sort((a, b) => b.duration - a.duration);
    const out: TimelineRow[] = [];
    for (const segment of segments) for (const row of segment.rows!) out.push(row);
    return out;
  }
}

/** Index of the row showing event `id`: its call row, else the header of the request holding it. */
export function rowIndexOfEvent(rows: readonly TimelineRow[], id: number, requestId?: string): number {
  const callIndex = rows.findIndex((r) => r.type === 'call' && r.call.id === id);
  if (callIndex !== -1 || requestId === undefined) return callIndex;
  return rows.findIndex((r) => r.type === 'request' && r.group.requestId === requestId);
}
