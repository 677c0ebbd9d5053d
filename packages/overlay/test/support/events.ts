/** Synthetic events in the instrument's schema, for volume tests and the benchmark. */
import type { CacheScopeEvent, CallDecision, FetchEvent, UnstableCacheEvent } from '../../src/store/types.js';

const DECISIONS: CallDecision[] = ['hit', 'miss', 'skip', 'stale', 'deduped'];
const ROUTES = ['/broken', '/pattern-1', '/pattern-2', '/pattern-3', '/sledgehammer'];

export function makeFetch(id: number, requestId = String(Math.ceil(id / 10)), decision: CallDecision = 'miss'): FetchEvent {
  return {
    type: 'fetch',
    id,
    ts: 1_700_000_000_000 + id,
    pid: 1,
    requestId,
    route: ROUTES[Number(requestId) % ROUTES.length],
    requestKind: 'page',
    workUnit: 'request',
    phase: 'render',
    method: 'GET',
    url: `http://127.0.0.1:4100/dashboard?n=${id}`,
    declared: { tags: ['dashboard-data'] },
    decision,
    reason: decision === 'skip' ? 'no cache option in a request render' : `synthetic ${decision}`,
    reasonCode: 'unknown',
    durationMs: (id % 50) + 0.5,
    tagsAttached: decision === 'skip' ? [] : ['dashboard-data'],
    tagsDropped: decision === 'skip' ? ['dashboard-data'] : [],
    dropReason: decision === 'skip' ? 'the fetch was not cached' : undefined,
  };
}

export function makeUnstableCache(id: number, requestId = String(Math.ceil(id / 10))): UnstableCacheEvent {
  return {
    type: 'unstable-cache',
    id,
    ts: 1_700_000_000_000 + id,
    pid: 1,
    requestId,
    route: ROUTES[Number(requestId) % ROUTES.length],
    requestKind: 'page',
    keyHash: `k${id % 97}`,
    fnName: 'p1:fetchAPI',
    tags: ['p1:dashboard-data', `p1:dashboard-data:${id % 7}`],
    decision: DECISIONS[id % DECISIONS.length]!,
    durationMs: (id % 13) + 0.2,
  };
}

/** `count` mixed events (fetch, unstable_cache, dynamic reads, cache I/O) with ids from `firstId`, 10 per request. */
export function makeEvents(firstId: number, count: number): CacheScopeEvent[] {
  const out: CacheScopeEvent[] = [];
  for (let id = firstId; id < firstId + count; id++) {
    const requestId = String(Math.ceil(id / 10));
    switch (id % 4) {
      case 0:
        out.push(makeFetch(id, requestId, DECISIONS[id % DECISIONS.length]));
        break;
      case 1:
        out.push(makeUnstableCache(id, requestId));
        break;
      case 2:
        out.push({
          type: 'dynamic-api',
          id,
          ts: 1_700_000_000_000 + id,
          pid: 1,
          requestId,
          route: '/broken',
          requestKind: 'page',
          api: 'cookies',
          callSite: 'app/lib/api.ts:4:9',
        });
        break;
      default:
        out.push({
          type: 'cache-get',
          id,
          ts: 1_700_000_000_000 + id,
          pid: 1,
          requestId,
          route: '/pattern-1',
          requestKind: 'page',
          handler: 'incremental',
          kind: 'UNSTABLE_CACHE',
          key: `key${id % 97}`,
          tags: ['p1:dashboard-data'],
          result: 'hit',
        });
    }
  }
  return out;
}
