/** Words and numbers as the overlay shows them. Pure functions, no DOM. */
import { callText } from '@cachescope/instrument/protocol';
import type { CallDecision, CallEvent, CallKind, FindingKind, FixPattern, RequestKind, Revalidation, Severity } from './types.js';

export function callKind(call: CallEvent): CallKind {
  switch (call.type) {
    case 'fetch':
      return 'fetch';
    case 'unstable-cache':
      return 'unstable_cache';
    case 'use-cache':
      return 'use cache';
    case 'revalidate-call':
      return 'revalidation';
  }
}

export const CALL_KIND_LABEL: Record<CallKind, string> = {
  fetch: 'fetch',
  unstable_cache: 'unstable_cache',
  'use cache': "'use cache'",
  revalidation: 'revalidation',
};

export const DECISION_LABEL: Record<CallDecision, string> = {
  hit: 'HIT',
  stale: 'STALE',
  miss: 'MISS',
  skip: 'SKIP',
  deduped: 'DEDUPED',
};

export const REQUEST_KIND_LABEL: Record<RequestKind, string> = {
  page: 'page',
  action: 'Server Action',
  'route-handler': 'route handler',
  unknown: 'request',
};

const CACHED_FN_REASON: Record<CallDecision, (what: string) => string> = {
  hit: (what) => `served from the ${what} entry`,
  stale: (what) => `served a stale ${what} entry; Next regenerates it in the background`,
  miss: (what) => `no usable ${what} entry: the function ran and its result was stored`,
  skip: (what) => `the ${what} entry was bypassed (not read and not stored)`,
  deduped: () => 'the same call already ran in this request, so its result was reused (deduplicated)',
};

/** The decision's reason in words. Fetches carry the instrument's own sentence. */
export function decisionReason(call: CallEvent): string {
  switch (call.type) {
    case 'fetch':
      return call.reason;
    case 'unstable-cache':
      return CACHED_FN_REASON[call.decision]('unstable_cache');
    case 'use-cache':
      // the instrument's own sentence when it has one (the cache handler's get() failed)
      return call.reason ?? CACHED_FN_REASON[call.decision]("'use cache'");
    case 'revalidate-call':
      return call.error ? `Next threw: ${call.error}` : `asked Next to revalidate ${describeTags(call.tags)}`;
  }
}

function describeTags(tags: readonly string[]): string {
  if (tags.length === 0) return 'nothing by tag (re-renders only)';
  return tags.map((t) => JSON.stringify(t)).join(', ');
}

/** Strip the scheme and host of loopback / same-looking URLs to keep rows short. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

const labels = new WeakMap<CallEvent, string>();

/** What the call was, in one line: `POST 127.0.0.1:4100/dashboard`, a function name, `revalidateTag("a")`. */
export function callLabel(call: CallEvent): string {
  let label = labels.get(call);
  if (label === undefined) {
    label = describeCall(call);
    labels.set(call, label);
  }
  return label;
}

function describeCall(call: CallEvent): string {
  switch (call.type) {
    case 'fetch':
      return `${call.method} ${shortUrl(call.url)}`;
    case 'unstable-cache':
      return call.fnName ? call.fnName : `key ${call.keyHash}`;
    case 'use-cache':
      return `${call.functionId.slice(0, 12)}${call.handlerKind ? ` (${call.handlerKind})` : ''}`;
    case 'revalidate-call':
      return callText(call.api, call.args);
  }
}

export function revalidationLabel(rev: Revalidation): string {
  if (rev.api !== 'unknown') return callText(rev.api, rev.args);
  return `revalidation of ${describeTags(rev.tags)} (call not observed)`;
}

/** Tags a call declared, with the ones that reached a cache and the ones Next dropped. */
export function callTags(call: CallEvent): { attached: string[]; dropped: string[]; dropReason?: string } {
  switch (call.type) {
    case 'fetch':
      return { attached: call.tagsAttached, dropped: call.tagsDropped, dropReason: call.dropReason };
    case 'unstable-cache':
    case 'use-cache':
      return { attached: call.tags, dropped: [] };
    case 'revalidate-call':
      return { attached: call.tags, dropped: [] };
  }
}

/** Every tag the call names (declared, attached, dropped, or revalidated). */
export function tagsOfCall(call: CallEvent): string[] {
  const { attached, dropped } = callTags(call);
  const declared = call.type === 'fetch' ? (call.declared.tags ?? []) : [];
  return [...new Set([...attached, ...dropped, ...declared])];
}

export function callDuration(call: CallEvent): number | undefined {
  return call.type === 'revalidate-call' ? undefined : call.durationMs;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `13:41:13.382` in local time. */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export const FINDING_KIND_LABEL: Record<FindingKind, string> = {
  'orphaned-tag': 'Orphaned tag',
  'noop-revalidation': 'No-op revalidation',
  'stale-after-revalidate': 'Stale after revalidate',
  'broad-revalidation': 'Broad revalidation',
  'deprecated-revalidate-tag-single-arg': 'Deprecated revalidateTag(tag)',
  'dev-artefact': 'Dev-only artefact',
  'partial-fleet-revalidation': 'Revalidation reached part of the fleet',
};

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The fix, named in the article's terms. */
export const FIX_PATTERN_LABEL: Record<FixPattern, string> = {
  'pattern-1': 'Pattern 1: unstable_cache with the session as a key part and a per-user tag',
  'pattern-2': "Pattern 2: 'use cache' with the session as an argument and cacheTag per user",
  'pattern-3': 'Pattern 3: accept dynamic, dedupe with React.cache, re-render with revalidatePath',
  updateTag: 'updateTag: read-your-writes inside the Server Action',
  'opt-in-cache': "Opt the fetch into the cache (cache: 'force-cache' or next.revalidate)",
  'revalidateTag-profile': "revalidateTag(tag, 'max')",
  'revalidateTag-expire-0': 'revalidateTag(tag, { expire: 0 })',
  'revalidatePath-layout': "revalidatePath('/', 'layout')",
  'per-user-tags': 'Per-user tags (tag:<sessionHash>)',
  'fix-tag-name': 'Fix the tag name',
  'shared-cache-handler': 'One cache handler shared by every instance (Redis)',
  'no-action': 'Nothing to change',
};

export function formatProfile(profile: Revalidation['profile']): string {
  if (profile === undefined) return '';
  if (typeof profile === 'string') return profile;
  return Object.entries(profile)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

/** True when a committed revalidation reached no live entry. */
export function isNoop(rev: Revalidation): boolean {
  return rev.status === 'committed' && rev.matched.length === 0;
}
