/** Realistic events and findings (the demo's broken pattern) for formatter and CLI tests. */
import type { Finding } from '../../../src/protocol/events.js';

const ts = new Date(2026, 0, 15, 13, 27, 10, 123).getTime();

export const fetchMiss = {
  type: 'fetch',
  ts,
  route: '/pattern-1',
  method: 'POST',
  url: 'http://127.0.0.1:4100/dashboard?pattern=p1',
  declared: { cache: 'force-cache', tags: ['p1:dashboard-data'] },
  decision: 'miss',
  reason: 'cold miss',
  reasonCode: 'cold-miss',
  status: 200,
  durationMs: 12.4,
  tagsAttached: ['p1:dashboard-data'],
  tagsDropped: [],
};

export const fetchSkipDropped = {
  type: 'fetch',
  ts: ts + 5,
  route: '/broken',
  method: 'GET',
  url: 'http://127.0.0.1:4100/dashboard?pattern=broken',
  declared: { tags: ['dashboard-data'] },
  decision: 'skip',
  reason: 'auto no cache: the route read cookies() before this fetch',
  reasonCode: 'auto-no-cache',
  tagsAttached: [],
  tagsDropped: ['dashboard-data'],
  dropReason: 'uncached fetch in a request',
};

export const revalidateCall = {
  type: 'revalidate-call',
  ts: ts + 900,
  route: '/broken',
  requestId: 'r2',
  api: 'revalidateTag',
  args: ['dashboard-data', 'max'],
  tags: ['dashboard-data'],
  profile: 'max',
  callSite: 'app/broken/actions.ts:7',
};

export const commitNoop = {
  type: 'revalidation-commit',
  ts: ts + 917,
  route: '/broken',
  requestId: 'r2',
  handler: 'incremental',
  tags: ['dashboard-data'],
  mode: 'stale-while-revalidate',
  expireSeconds: 31536000,
  matched: [],
};

export const commitNoopOtherHandler = { ...commitNoop, ts: ts + 918, handler: 'use-cache:default' };

export const findings: Finding[] = [
  {
    id: 'orphaned-tag:dashboard-data',
    kind: 'orphaned-tag',
    severity: 'error',
    tags: ['dashboard-data'],
    message: "tag 'dashboard-data' is declared on a fetch that never entered a cache (the route read cookies())",
    evidence: [2],
    fix: { pattern: 'pattern-1', text: 'Pass the session into unstable_cache as a key part (Pattern 1).' },
    count: 3,
    firstTs: ts,
    lastTs: ts + 5,
    cause: 'declared-on-uncached-call',
    dynamicReason: 'cookies()',
  },
  {
    id: 'noop-revalidation:revalidateTag:dashboard-data',
    kind: 'noop-revalidation',
    severity: 'error',
    tags: ['dashboard-data'],
    message: "revalidateTag('dashboard-data','max') matched no live cache entry",
    evidence: [3, 4],
    fix: { pattern: 'pattern-1', text: 'Cache the data under the tag first, then revalidate it.' },
    count: 1,
    firstTs: ts + 900,
    lastTs: ts + 900,
    api: 'revalidateTag',
    noops: 1,
    effective: 0,
  },
  {
    id: 'noop-revalidation:revalidatePath:/x',
    kind: 'noop-revalidation',
    severity: 'warning',
    tags: ['_N_T_/x'],
    message: "revalidatePath('/x') matched no live cache entry",
    evidence: [5],
    fix: { pattern: 'no-action', text: 'Nothing under /x is cached.' },
    count: 1,
    firstTs: ts + 950,
    lastTs: ts + 950,
    api: 'revalidatePath',
    noops: 1,
    effective: 0,
  },
];
