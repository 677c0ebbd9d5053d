// A Server Action submitted without JavaScript (progressive enhancement: a multipart form POST with
// $ACTION_ID_…, no Next-Action header). Next applies the action's updateTag before the re-render and
// again after it. cachescope must report the one effective updateTag it is (both commits on the call,
// no revalidation of unknown origin, no no-op), and the next read as what the backend saw.
import { describe, expect, it } from 'vitest';
import type { UnstableCacheEvent, UseCacheEvent } from '../../src/protocol/events.js';
import { eventsAfter, findingOf, userTagSuffix, useScenario, type Pattern } from './scenario.js';

const cachedCall = (e: { type: string }): e is UnstableCacheEvent | UseCacheEvent => e.type === 'unstable-cache' || e.type === 'use-cache';

describe.each(['dev', 'prod'] as const)('a Server Action posted without JavaScript in next %s', (mode) => {
  const scenario = useScenario(mode);

  it.each(['p1', 'p2'] as const satisfies readonly Pattern[])(
    '%s update-mine: one effective updateTag, never a no-op; the next read is what the backend saw',
    async (pattern) => {
      const s = scenario();
      const { alice } = s.sessions();
      const tag = `${pattern}:dashboard-data:${userTagSuffix(alice)}`;
      await s.get(pattern, alice);
      const mark = await s.mark();
      const res = await s.submit(pattern, 'update-mine', alice);
      expect(res.status).toBe(200);
      expect(res.dashboards.length).toBeGreaterThan(0); // the whole page came back as HTML

      const update = await s.until('the updateTag call', (snap) =>
        snap.revalidations.find(
          (r) => r.callEventId !== undefined && r.callEventId > mark && r.api === 'updateTag' && r.tags.includes(tag),
        ),
      );
      // What Next did: two applications of the tag in that request (one commit per cache handler each).
      await s.until('two applications of the tag', (snap) => {
        const applications = eventsAfter(snap, mark).filter(
          (e) =>
            e.type === 'revalidation-commit' && e.requestId === update.requestId && e.tags.includes(tag) && e.coalescedInto === undefined,
        );
        return applications.length >= 2 || undefined;
      });
      const readMark = await s.mark();
      const beforeRead = s.hits(pattern, 'alice');
      await s.get(pattern, alice);
      const refetched = s.hits(pattern, 'alice') - beforeRead;
      const read = await s.until('the read after the action', (snap) =>
        eventsAfter(snap, readMark)
          .filter(cachedCall)
          .find((e) => e.tags.includes(tag) && e.decision !== 'deduped'),
      );
      // Ground truth: a miss is one backend request, a hit none.
      expect(read.decision).toBe(refetched === 1 ? 'miss' : 'hit');
      expect(refetched).toBeLessThanOrEqual(1);

      const snap = await s.snapshot();
      const ofRequest = snap.revalidations.filter((r) => r.tags.includes(tag) && r.requestId === update.requestId);
      expect(ofRequest.map((r) => r.api)).toEqual(['updateTag']); // both applications on the call
      const final = ofRequest[0]!;
      expect(final.commitEventIds.length).toBeGreaterThanOrEqual(2);
      expect(final.matched.map((m) => m.tag)).toContain(tag);
      expect(findingOf(snap, 'noop-revalidation', tag)).toBeUndefined();
    },
  );
});
