/**
 * Events grouped by request: the calls (fetch, unstable_cache, 'use cache', revalidation calls), the dynamic API
 * reads, and a count of the rest (cache handler I/O, commits).
 *
 * Incremental: the event log only appends new events and trims old ones from the front, so a new grouping
 * only touches the requests those events belong to (O(batch), not O(events held)). Requests that did not change
 * keep their `RequestGroup` object, so memoised rows and per-group caches stay valid. Anything else (an
 * out-of-order merge, a reset) regroups from scratch.
 */
import { NO_REQUEST } from './constants.js';
import type { CacheScopeEvent, CallEvent, DynamicApiEvent, RequestGroup, RequestKind } from './types.js';

const KIND_RANK: Record<RequestKind, number> = { action: 3, 'route-handler': 2, page: 1, unknown: 0 };

export function isCallEvent(event: CacheScopeEvent): event is CallEvent {
  return event.type === 'fetch' || event.type === 'unstable-cache' || event.type === 'use-cache' || event.type === 'revalidate-call';
}

interface Draft {
  requestId: string;
  route?: string;
  kind: RequestKind;
  lastTs: number;
  /** Every event of the request still held, in id order. */
  events: CacheScopeEvent[];
  calls: CallEvent[];
  dynamicReads: DynamicApiEvent[];
  otherEvents: number;
}

/** Index of the event with `id` in an id-sorted array, or -1. */
function indexOfId(events: readonly CacheScopeEvent[], id: number): number {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = events[mid]!.id;
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class RequestGrouper {
  private drafts = new Map<string, Draft>();
  private published = new Map<string, RequestGroup>();
  /** Request ids by first appearance (oldest first). */
  private order: string[] = [];
  private prev: readonly CacheScopeEvent[] = [];
  private result: RequestGroup[] = [];

  /** Groups ordered by their first event (oldest first). */
  group(events: readonly CacheScopeEvent[]): RequestGroup[] {
    if (events === this.prev) return this.result;
    const step = this.continuation(events);
    const dirty = new Set<string>();
    if (step) {
      for (let i = 0; i < step.removed; i++) this.remove(this.prev[i]!, dirty);
      for (let i = step.appendFrom; i < events.length; i++) this.add(events[i]!, dirty);
    } else {
      this.drafts.clear();
      this.published.clear();
      this.order = [];
      for (const event of events) this.add(event, dirty);
    }
    let emptied = false;
    for (const requestId of dirty) {
      const draft = this.drafts.get(requestId);
      if (!draft) continue;
      if (draft.events.length === 0) {
        this.drafts.delete(requestId);
        this.published.delete(requestId);
        emptied = true;
        continue;
      }
      this.published.set(requestId, {
        requestId,
        route: draft.route,
        kind: draft.kind,
        firstTs: draft.events[0]!.ts,
        lastTs: draft.lastTs,
        firstId: draft.events[0]!.id,
        calls: draft.calls.slice(),
        dynamicReads: draft.dynamicReads.slice(),
        otherEvents: draft.otherEvents,
        ...(draft.events[0]!.instance === undefined ? {} : { instance: draft.events[0]!.instance }),
      });
    }
    if (emptied) this.order = this.order.filter((id) => this.drafts.has(id));
    this.prev = events;
    this.result = this.order.map((id) => this.published.get(id)!);
    return this.result;
  }

  /** How `events` continues the previous array: trimmed from the front and appended at the end, or null. */
  private continuation(events: readonly CacheScopeEvent[]): { removed: number; appendFrom: number } | null {
    const prev = this.prev;
    if (prev.length === 0 || events.length === 0) return null;
    const start = indexOfId(prev, events[0]!.id);
    if (start === -1) return null;
    const kept = prev.length - start;
    if (kept > events.length || events[kept - 1]!.id !== prev[prev.length - 1]!.id) return null;
    return { removed: start, appendFrom: kept };
  }

  private add(event: CacheScopeEvent, dirty: Set<string>): void {
    const requestId = event.requestId ?? NO_REQUEST;
    let draft = this.drafts.get(requestId);
    if (!draft) {
      draft = { requestId, kind: 'unknown', lastTs: event.ts, events: [], calls: [], dynamicReads: [], otherEvents: 0 };
      this.drafts.set(requestId, draft);
      this.order.push(requestId);
    }
    draft.events.push(event);
    if (event.ts > draft.lastTs) draft.lastTs = event.ts;
    if (draft.route === undefined && event.route) draft.route = event.route;
    if (event.requestKind && KIND_RANK[event.requestKind] > KIND_RANK[draft.kind]) draft.kind = event.requestKind;
    if (isCallEvent(event)) draft.calls.push(event);
    else if (event.type === 'dynamic-api') draft.dynamicReads.push(event);
    else draft.otherEvents++;
    dirty.add(requestId);
  }

  private remove(event: CacheScopeEvent, dirty: Set<string>): void {
    const requestId = event.requestId ?? NO_REQUEST;
    const draft = this.drafts.get(requestId);
    if (!draft) return;
    // the log trims oldest first, and a request's events are in id order: it is the request's first event
    if (draft.events[0] === event) draft.events.shift();
    else draft.events = draft.events.filter((e) => e !== event);
    if (isCallEvent(event)) {
      if (draft.calls[0] === event) draft.calls.shift();
      else draft.calls = draft.calls.filter((e) => e !== event);
    } else if (event.type === 'dynamic-api') draft.dynamicReads = draft.dynamicReads.filter((e) => e !== event);
    else draft.otherEvents--;
    dirty.add(requestId);
  }
}

/** The most recent request (by its last event), ignoring events outside requests. */
export function lastRequest(groups: readonly RequestGroup[]): RequestGroup | undefined {
  let best: RequestGroup | undefined;
  for (const group of groups) {
    if (group.requestId === NO_REQUEST) continue;
    if (!best || group.lastTs >= best.lastTs) best = group;
  }
  return best;
}

/** Dynamic API reads of a request, counted per API: `[['cookies', 3], ['headers', 1]]`. */
export function dynamicSummary(reads: readonly DynamicApiEvent[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const read of reads) counts.set(read.api, (counts.get(read.api) ?? 0) + (read.count ?? 1));
  return [...counts];
}
