/**
 * Cluster mode: did a revalidation reach every instance's cache? The rule, from evidence only:
 * an instance's revalidation reached entry K (by the fleet-wide tag index); afterwards *another* instance's cache
 * handler answered a read of K with a fresh `hit`. A shared handler (Redis) cannot do that: the tag's new
 * expiry is in the shared store, so its next read is a miss (`{ expire: 0 }`) or stale (`'max'`). Only a cache of
 * that instance's own (file system, memory) still holds K as fresh. So the reading instance is named, with
 * its entries and how long they live, and the fix is a shared handler. We do not guess from configuration:
 * a custom handler may or may not be shared, and the handler's own answer on the next read is what users get.
 */
import type { CacheGetEvent, FindingFix, PartialFleetRevalidationFinding, Revalidation } from '../protocol/events.js';
import { describeRevalidation, revalidationKey } from './findings.js';

export const SHARED_HANDLER_FIX: FindingFix = {
  pattern: 'shared-cache-handler',
  text:
    'Give every instance one shared cache: next.config `cacheHandler` (incremental cache: fetch, unstable_cache, ISR), e.g. ' +
    "@fortedigital/nextjs-cache-handler, and `cacheHandlers: { default: … }` for 'use cache', e.g. " +
    "@mrjasonroy/cache-components-cache-handler (both Redis; Node >= 22), or your own handler on Next's documented " +
    'interface (get/set/revalidateTag; get/set/refreshTags/getExpiration/updateTags) that keeps entries and tag ' +
    'timestamps in Redis. Set cacheMaxMemorySize: 0 so no instance keeps a private in-memory copy.',
};

export interface FleetReach {
  instance: string;
  ts: number;
  commitId: number;
}

export function partialFleetFinding(input: {
  rev: Revalidation;
  reach: FleetReach;
  read: CacheGetEvent;
  previous?: PartialFleetRevalidationFinding;
}): PartialFleetRevalidationFinding {
  const { rev, reach, read } = input;
  const staleOn = (input.previous?.staleOn ?? []).map((s) => ({ ...s, keys: [...s.keys] }));
  let mine = staleOn.find((s) => s.instance === read.instance);
  if (!mine) {
    mine = { instance: read.instance ?? '?', keys: [] };
    staleOn.push(mine);
  }
  if (!mine.keys.includes(read.key)) mine.keys.push(read.key);
  if (read.expireAt !== undefined) mine.staleUntil = Math.max(mine.staleUntil ?? 0, read.expireAt);
  const where = staleOn
    .map(
      (s) =>
        `${s.instance} (${s.keys.length} ${s.keys.length === 1 ? 'entry' : 'entries'}${s.staleUntil ? `, stale until ${new Date(s.staleUntil).toISOString()}` : ', until it expires'})`,
    )
    .join(', ');
  const message =
    `${describeRevalidation(rev)} on instance ${reach.instance} reached only part of the fleet: ${where} still served ` +
    `entries with ${rev.tags.map((t) => JSON.stringify(t)).join(', ')} as fresh after it. The instances do not share a cache handler, ` +
    'so users routed there keep getting the old data.';
  return {
    id: `partial-fleet-revalidation:${revalidationKey(rev)}`,
    kind: 'partial-fleet-revalidation',
    severity: 'error',
    tags: [...rev.tags],
    message,
    evidence: [rev.callEventId ?? rev.id, reach.commitId, read.id],
    fix: SHARED_HANDLER_FIX,
    count: 1,
    firstTs: read.ts,
    lastTs: read.ts,
    api: rev.api,
    revalidatedOn: reach.instance,
    staleOn,
  };
}
