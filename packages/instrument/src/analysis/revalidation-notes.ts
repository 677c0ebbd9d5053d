/**
 * What Next does on a revalidation beyond the entries it matched, in words, for the revalidation record.
 *
 * In a Server Action, an expire-now revalidation (`updateTag`, one-argument `revalidateTag`, a profile
 * with `expire: 0`, `revalidatePath`) sets `pathWasRevalidated` without looking at the tag (Next 16.5
 * `revalidate()`: "TODO: only revalidate if the path matches"): the action's response re-renders the
 * current route and the client drops its prefetched routes. Users read that as "updateTag updated
 * unrelated data" (next.js #85739).
 */
import type { Revalidation } from '../protocol/events.js';
import { describeRevalidation } from './findings.js';

export function revalidationNotes(rev: Revalidation): string[] {
  const notes: string[] = [];
  if (rev.requestKind === 'action' && rev.mode === 'expire-now' && rev.status === 'committed' && rev.api !== 'unknown') {
    const route = rev.route ? ` (${rev.route})` : '';
    const reads = rev.tags.length === 1 ? `reads ${JSON.stringify(rev.tags[0])}` : 'reads these tags';
    notes.push(
      `${describeRevalidation(rev)} also made Next re-render the current route${route} in the action's response, whether or not the route ${reads}, ` +
        'and the browser drop its prefetched routes: uncached data on the page is fetched again, ' +
        `while cached data refreshes only where an entry matched (${rev.matched.length} here).`,
    );
  }
  return notes;
}
