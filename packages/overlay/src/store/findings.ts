/** The Findings view: filter and sort findings, turn their evidence ids into links to the other views. */
import { callText } from '@cachescope/instrument/protocol';
import { normaliseSearch } from './filters.js';
import { DECISION_LABEL, FINDING_KIND_LABEL, SEVERITY_RANK, callLabel, shortUrl } from './format.js';
import { revalidationOfEvent } from './revalidations.js';
import type { CacheScopeEvent, CallSiteFields, Filters, Finding, Revalidation, SortState, TabId } from './types.js';

/** A link from a finding's evidence into another view, with where the app made the call. */
export interface EvidenceLink extends CallSiteFields {
  eventId: number;
  /** Where the link leads, and what to highlight there. */
  tab: TabId;
  key: string;
  label: string;
  /** False when the event is no longer held (trimmed or cleared). */
  held: boolean;
}

/** The call site an evidence event or its revalidation carries. */
function siteOf(from: CallSiteFields | undefined): CallSiteFields {
  return from?.callSite || from?.site ? { site: from.site, callSite: from.callSite } : {};
}

function describeEvent(event: CacheScopeEvent): string {
  const where = event.route ? ` on ${event.route}` : '';
  switch (event.type) {
    case 'fetch':
      return `fetch ${callLabel(event)} — ${DECISION_LABEL[event.decision]}${where}`;
    case 'unstable-cache':
      return `unstable_cache ${callLabel(event)} — ${DECISION_LABEL[event.decision]}${where}`;
    case 'use-cache':
      return `'use cache' ${callLabel(event)} — ${DECISION_LABEL[event.decision]}${where}`;
    case 'revalidate-call':
      return `${callText(event.api, event.args)}${where}`;
    case 'revalidation-commit':
      return `commit of ${event.tags.map((t) => JSON.stringify(t)).join(', ')} (${event.handler}, ${event.matched?.length ?? 0} matched)${where}`;
    case 'cache-get':
      return `cache read ${event.kind} ${event.key} (${event.result})${event.url ? ` ${shortUrl(event.url)}` : ''}${where}`;
    case 'cache-set':
      return `cache write ${event.kind} ${event.key}${where}`;
    case 'dynamic-api':
      return `${event.api}() read${where}`;
    case 'seed-entry':
      return `entry on disk ${event.kind} ${event.key}`;
    case 'internal-error':
      return `cachescope error in ${event.where}`;
    case 'cluster-status':
      return `cluster view ${event.status.state} (${event.status.self})`;
  }
}

export function resolveEvidence(
  ids: readonly number[],
  eventsById: ReadonlyMap<number, CacheScopeEvent>,
  revalidations: readonly Revalidation[],
): EvidenceLink[] {
  return ids.map((eventId) => {
    const event = eventsById.get(eventId);
    const rev =
      !event || event.type === 'revalidate-call' || event.type === 'revalidation-commit'
        ? revalidationOfEvent(revalidations, eventId)
        : undefined;
    if (rev) {
      return {
        eventId,
        tab: 'revalidations',
        key: String(rev.id),
        label: `#${eventId} ${event ? describeEvent(event) : callText(rev.api, rev.args)}`,
        held: true,
        ...siteOf(rev),
      };
    }
    if (!event) return { eventId, tab: 'requests', key: String(eventId), label: `event #${eventId} (no longer held)`, held: false };
    return {
      eventId,
      tab: 'requests',
      key: String(eventId),
      label: `#${eventId} ${describeEvent(event)}`,
      held: true,
      ...siteOf('callSite' in event ? event : undefined),
    };
  });
}

function haystack(finding: Finding): string {
  const extra = finding.kind === 'orphaned-tag' ? (finding.dynamicReason ?? '') : '';
  return [FINDING_KIND_LABEL[finding.kind], finding.kind, finding.message, finding.tags.join(' '), extra, finding.fix.text]
    .join('\n')
    .toLowerCase();
}

export function filterFindings(findings: readonly Finding[], filters: Filters, sort: SortState['findings']): Finding[] {
  const needle = normaliseSearch(filters.search);
  const out = findings.filter(
    (f) => (needle === '' || haystack(f).includes(needle)) && (filters.tag.length === 0 || f.tags.some((t) => filters.tag.includes(t))),
  );
  if (sort === 'newest') out.sort((a, b) => b.lastTs - a.lastTs);
  else out.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.lastTs - a.lastTs);
  return out;
}

/** Findings that need attention (the red number on the button): errors and warnings. */
export function openFindingCount(findings: readonly Finding[]): number {
  let n = 0;
  for (const f of findings) if (f.severity !== 'info') n++;
  return n;
}
