/**
 * The corrected decision for one fetch: what the data cache really did, from the facts the hooks saw.
 *
 * Next misreports two things (research §0.4, §6): a cold miss comes out as `skip` with
 * `cache-control: no-cache (hard refresh)`, and a stale hit as plain `hit`. `decideFetch` puts them right,
 * labels dev artefacts (a real browser hard refresh, the HMR cache) instead of flagging them, and explains
 * skips in words, re-deriving Next's reason from the declared options when Next's own is not observable.
 */
import type { CallDecision, DevArtefact, NextFetchStatus, ReasonCode } from '../protocol/events.js';
import { HARD_REFRESH_REASON, deriveNextReason, explainReason, type ReasonInputs } from './reasons.js';

const NO_STORE_CODES: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'auto-no-cache',
  'cache-no-store',
  'cache-no-cache',
  'revalidate-0',
  'no-store-call',
  'unstable-cache-force-no-store',
  'segment-force-no-store',
  'segment-only-no-store',
  'action-default-no-store',
  'segment-default-no-store',
]);

export type LookupResult = 'hit' | 'stale' | 'miss' | 'none';

export interface FetchFacts extends ReasonInputs {
  /** What the data-cache lookup returned to Next (`none`: no lookup was seen). */
  lookup: LookupResult;
  /** Next called the origin (`init.next.fetchType === 'origin'` below the patch). */
  originCalled: boolean;
  /** The response was written to the data cache (`cacheHandler.set`). */
  stored: boolean;
  /** HTTP status, for the not-stored explanation. */
  status?: number;
  nextStatus?: NextFetchStatus;
  nextReason?: string;
  /** The incoming request carried `cache-control: no-cache` (a browser hard refresh). */
  requestNoCache?: boolean;
  /** Running under `next dev` (the hard-refresh bypass only exists there). Assumed when undefined. */
  dev?: boolean;
  /** Served from the dev Server Components HMR cache. */
  hmr?: boolean;
  /** React's fetch dedupe answered: no lookup, no origin call. */
  deduped?: boolean;
  /** A stale entry was refetched before use because the result goes into an enclosing server cache. */
  staleForeground?: boolean;
}

export interface FetchVerdict {
  decision: CallDecision;
  reason: string;
  reasonCode: ReasonCode;
  devArtefact?: DevArtefact;
}

function notStoredClause(facts: FetchFacts): string {
  return facts.status !== undefined && facts.status !== 200
    ? `not stored (status ${facts.status}; only 200 responses are cached)`
    : 'not stored';
}

function isDevHardRefresh(facts: FetchFacts): boolean {
  return Boolean(facts.requestNoCache) && facts.dev !== false;
}

function hardRefreshVerdict(facts: FetchFacts): FetchVerdict {
  return {
    decision: 'skip',
    reasonCode: 'hard-refresh',
    devArtefact: 'hard-refresh',
    reason:
      'dev: the browser sent cache-control: no-cache (hard refresh), so Next bypassed the data cache for this request' +
      (facts.stored ? ' (the fresh response was stored)' : ''),
  };
}

function missVerdict(facts: FetchFacts): FetchVerdict {
  return facts.stored
    ? {
        decision: 'miss',
        reasonCode: 'cold-miss',
        reason: 'not in the data cache (cold, expired or invalidated): fetched from the origin and stored',
      }
    : {
        decision: 'miss',
        reasonCode: 'not-stored',
        reason: `not in the data cache: fetched from the origin, ${notStoredClause(facts)}`,
      };
}

/** The corrected decision and its reason. Pure; never throws on odd input. */
export function decideFetch(facts: FetchFacts): FetchVerdict {
  if (facts.hmr || facts.nextStatus === 'hmr') {
    return {
      decision: 'hit',
      reasonCode: 'hmr',
      devArtefact: 'hmr',
      reason: 'dev: served from the Server Components HMR cache (not the data cache) after a code edit',
    };
  }

  if (facts.deduped || (facts.lookup === 'none' && !facts.originCalled && facts.nextStatus === undefined)) {
    return {
      decision: 'deduped',
      reasonCode: 'deduped',
      reason: 'deduplicated: an identical fetch already ran in this render',
    };
  }

  // Next's "hard refresh" override means the lookup gave patch-fetch nothing: a miss, whatever it says.
  const nextFoundNothing = facts.nextStatus === 'skip' && facts.nextReason === HARD_REFRESH_REASON;
  if (nextFoundNothing || facts.lookup === 'miss') {
    return isDevHardRefresh(facts) ? hardRefreshVerdict(facts) : missVerdict(facts);
  }

  if (facts.lookup === 'stale' || (facts.lookup === 'hit' && facts.originCalled)) {
    if (facts.staleForeground) {
      return {
        decision: 'miss',
        reasonCode: 'stale-foreground',
        reason: 'the entry was stale; refetched before use because the result goes into an enclosing server cache',
      };
    }
    return {
      decision: 'stale',
      reasonCode: 'stale',
      reason: 'served stale from the data cache (revalidated tag or revalidate time passed); a background refetch updates it',
    };
  }

  const nextReason = facts.nextReason ?? deriveNextReason(facts).nextReason;

  if (facts.lookup === 'hit' || facts.nextStatus === 'hit') {
    const why = explainReason(nextReason, facts);
    if (!NO_STORE_CODES.has(why.code)) return { decision: 'hit', reasonCode: why.code, reason: `served from the data cache: ${why.text}` };
    // A no-store reason on a read the data cache answered describes the options, not this read: Next
    // reports one for a fetch it did cache (force-cache inside unstable_cache), and a derived reason misses
    // what cachescope cannot see (segment config, the build's implicit cache that wrote the entry).
    const quoted =
      facts.nextReason === undefined ? '' : ` (Next's cacheReason "${facts.nextReason}" describes the call's options, not this read)`;
    return {
      decision: 'hit',
      reasonCode: 'stored-earlier',
      reason: `served from the data cache: an entry an earlier request or the build stored${quoted}`,
    };
  }

  // No lookup seen, the origin was called. In dev only a hard refresh skips the lookup of a call Next stores.
  if (facts.stored && isDevHardRefresh(facts)) return hardRefreshVerdict(facts);
  if (facts.nextStatus === 'miss' || facts.stored) return missVerdict(facts);
  if (facts.nextReason === undefined && deriveNextReason(facts).cacheable) {
    // Next would have looked it up: the lookup happened out of our sight (or a dev hard refresh skipped it).
    return isDevHardRefresh(facts) ? hardRefreshVerdict(facts) : missVerdict(facts);
  }
  const why = explainReason(nextReason, facts);
  return { decision: 'skip', reasonCode: why.code, reason: why.text };
}
