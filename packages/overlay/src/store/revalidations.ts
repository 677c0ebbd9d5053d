/** The Revalidations view: filter and sort the analysis' revalidations. */
import { normaliseSearch, NO_ROUTE } from './filters.js';
import { isNoop, revalidationLabel } from './format.js';
import type { Filters, Revalidation, SortState } from './types.js';

function haystack(rev: Revalidation): string {
  return [revalidationLabel(rev), rev.tags.join(' '), rev.route ?? '', rev.callSite ?? '', isNoop(rev) ? 'no-op noop' : '']
    .join('\n')
    .toLowerCase();
}

export function filterRevalidations(
  revalidations: readonly Revalidation[],
  filters: Filters,
  sort: SortState['revalidations'],
): Revalidation[] {
  const needle = normaliseSearch(filters.search);
  const out = revalidations.filter(
    (rev) =>
      (needle === '' || haystack(rev).includes(needle)) &&
      (filters.route.length === 0 || filters.route.includes(rev.route ?? NO_ROUTE)) &&
      (filters.tag.length === 0 || rev.tags.some((t) => filters.tag.includes(t))),
  );
  if (sort === 'newest') out.sort((a, b) => b.ts - a.ts);
  else if (sort === 'oldest') out.sort((a, b) => a.ts - b.ts);
  else out.sort((a, b) => a.matched.length - b.matched.length || b.ts - a.ts);
  return out;
}

/** The revalidation an event belongs to (its call or one of its commits). */
export function revalidationOfEvent(revalidations: readonly Revalidation[], id: number): Revalidation | undefined {
  return revalidations.find((r) => r.id === id || r.callEventId === id || r.commitEventIds.includes(id));
}
