/**
 * The Tags view: every tag the analysis knows (plus orphaned tags only a finding mentions), with live entries,
 * user scopes, last revalidation and a status: ORPHANED (a finding says so), never revalidated, or ok.
 */
import { normaliseSearch } from './filters.js';
import { tagsOfCall } from './format.js';
import { isCallEvent } from './requests.js';
import type {
  Analysis,
  CacheScopeEvent,
  EntrySummary,
  Filters,
  OrphanedTagFinding,
  SortState,
  TagDetail,
  TagRow,
  TagStatus,
} from './types.js';

const STATUS_RANK: Record<TagStatus, number> = { orphaned: 0, 'never-revalidated': 1, ok: 2 };

export const TAG_STATUS_LABEL: Record<TagStatus, string> = {
  orphaned: 'ORPHANED',
  'never-revalidated': 'never revalidated',
  ok: 'ok',
};

function orphanFindings(analysis: Analysis): Map<string, OrphanedTagFinding> {
  const out = new Map<string, OrphanedTagFinding>();
  for (const finding of analysis.findings) {
    if (finding.kind !== 'orphaned-tag') continue;
    for (const tag of finding.tags) out.set(tag, finding);
  }
  return out;
}

export function orphanReason(finding: OrphanedTagFinding): string {
  switch (finding.cause) {
    case 'declared-on-uncached-call':
      return `declared only on calls that skipped the cache${finding.dynamicReason ? `: ${finding.dynamicReason}` : ''}`;
    case 'over-tag-limit':
      return `Next left it off the entry: ${finding.limit === 'count' ? 'more than 128 tags on the call' : 'longer than 256 characters'}`;
    case 'revalidated-never-declared':
      return `revalidated but never declared by any cached call${finding.suggestion ? ` (did you mean "${finding.suggestion}"?)` : ''}`;
    case 'all-entries-expired':
      return 'every entry that carried it is gone';
  }
}

function scopeCount(entries: readonly EntrySummary[]): number | null {
  const scopes = new Set(entries.map((e) => e.scope).filter(Boolean));
  return scopes.size === 0 && entries.length > 0 ? null : scopes.size;
}

export function buildTagRows(analysis: Analysis): TagRow[] {
  const orphans = orphanFindings(analysis);
  const lastRev = new Map<string, TagRow['lastRevalidation']>();
  for (const rev of analysis.revalidations) {
    for (const tag of rev.tags) {
      const held = lastRev.get(tag);
      if (!held || rev.ts >= held.ts) {
        lastRev.set(tag, { ts: rev.ts, api: rev.api, matched: rev.matched.length, id: rev.id });
      }
    }
  }
  const rows: TagRow[] = analysis.tags.map((summary) => {
    const orphan = orphans.get(summary.tag);
    const lastRevalidation = lastRev.get(summary.tag);
    const status: TagStatus = orphan ? 'orphaned' : summary.revalidated === 0 && !lastRevalidation ? 'never-revalidated' : 'ok';
    return {
      tag: summary.tag,
      ...(summary.written && summary.written !== summary.tag ? { written: summary.written } : {}),
      implicit: summary.implicit,
      status,
      liveEntries: summary.liveEntries,
      scopes: scopeCount(summary.entries),
      lastRevalidation,
      orphanReason: orphan ? orphanReason(orphan) : undefined,
    };
  });
  const known = new Set(rows.map((r) => r.tag));
  for (const [tag, orphan] of orphans) {
    if (known.has(tag)) continue;
    rows.push({
      tag,
      implicit: tag.startsWith('_N_T_'),
      status: 'orphaned',
      liveEntries: 0,
      scopes: 0,
      lastRevalidation: lastRev.get(tag),
      orphanReason: orphanReason(orphan),
    });
  }
  return rows;
}

export function filterTagRows(rows: readonly TagRow[], filters: Filters, sort: SortState['tags']): TagRow[] {
  const needle = normaliseSearch(filters.search);
  const out = rows.filter(
    (r) =>
      (needle === '' ||
        r.tag.toLowerCase().includes(needle) ||
        (r.written ?? '').toLowerCase().includes(needle) ||
        (r.orphanReason ?? '').toLowerCase().includes(needle)) &&
      (filters.tag.length === 0 || filters.tag.includes(r.tag)),
  );
  const byName = (a: TagRow, b: TagRow) => a.tag.localeCompare(b.tag);
  if (sort === 'name') out.sort(byName);
  else if (sort === 'entries') out.sort((a, b) => b.liveEntries - a.liveEntries || byName(a, b));
  else out.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || Number(a.implicit) - Number(b.implicit) || byName(a, b));
  return out;
}

export function tagDetail(row: TagRow, analysis: Analysis, events: readonly CacheScopeEvent[]): TagDetail {
  const declaredBy = [];
  for (const event of events) {
    if (isCallEvent(event) && event.type !== 'revalidate-call' && tagsOfCall(event).includes(row.tag)) declaredBy.push(event);
  }
  return {
    row,
    entries: analysis.tags.find((t) => t.tag === row.tag)?.entries ?? [],
    declaredBy,
    revalidatedBy: analysis.revalidations.filter((r) => r.tags.includes(row.tag)),
  };
}
