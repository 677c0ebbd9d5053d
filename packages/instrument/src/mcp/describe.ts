/**
 * Text for tool answers, built from what the analysis already says: event lines as `cachescope tail` prints
 * them, revalidations as the analysis names them, findings' own message and fix.
 */
import { describeRevalidation } from '../analysis/findings.js';
import { EventFormatter } from '../cli/format.js';
import type { CacheScopeEvent, Finding, MatchedEntry, Revalidation, Snapshot } from '../protocol/events.js';

/** One event as a line (`#12 13:27:10.123 /broken fetch SKIP …`); the formatter is stateless for calls. */
export function eventLine(event: CacheScopeEvent): string {
  const line = new EventFormatter({ color: false }).format(event as unknown as CacheScopeEvent & Record<string, unknown>);
  return `#${event.id} ${(line ?? '').replace(/\s{2,}/g, '  ').trim()}`;
}

export interface EvidenceItem {
  id: number;
  /** The event as a line, or why it is not shown. */
  line: string;
  event?: CacheScopeEvent;
}

/** The events behind ids (a finding's evidence), as lines; those no longer held are said to be gone. */
export function evidenceOf(snapshot: Snapshot, ids: readonly number[]): EvidenceItem[] {
  const byId = new Map(snapshot.events.map((e) => [e.id, e] as const));
  return ids.map((id) => {
    const event = byId.get(id);
    return event ? { id, line: eventLine(event), event } : { id, line: `#${id} (no longer in the stream's buffer)` };
  });
}

export function matchedLine(m: MatchedEntry): string {
  const where = [m.route && `route ${m.route}`, m.scope && `user scope ${m.scope}`].filter(Boolean).join(', ');
  return `${m.kind} entry ${m.key.slice(0, 16)} via ${m.via === 'tag' ? 'tag' : 'implicit tag'} ${m.tag}${where ? ` (${where})` : ''}`;
}

/** `revalidateTag("a", "max") → 1 entry, stale-while-revalidate, from /pattern-1 (action) at app/actions.ts:12`. */
export function revalidationLine(rev: Revalidation): string {
  const effect =
    rev.status === 'pending'
      ? 'not committed yet'
      : rev.status === 'failed'
        ? 'failed (Next threw; nothing was enqueued)'
        : rev.matched.length === 0
          ? 'NO-OP: matched 0 live entries'
          : `matched ${rev.matched.length} live ${rev.matched.length === 1 ? 'entry' : 'entries'}${rev.blast.scopes > 1 ? ` of ${rev.blast.scopes} user scopes` : ''}`;
  const from = [
    rev.route && `from ${rev.route}`,
    rev.requestKind && rev.requestKind !== 'unknown' && `(${rev.requestKind})`,
    rev.callSite && `at ${rev.callSite}`,
  ]
    .filter(Boolean)
    .join(' ');
  return `#${rev.id} ${describeRevalidation(rev)} → ${effect}${rev.mode ? `, ${rev.mode}` : ''}${from ? `, ${from}` : ''}`;
}

/** Several lines: the revalidation, each matched entry, and Next's notes. */
export function revalidationBlock(rev: Revalidation, indent = ''): string[] {
  return [
    `${indent}${revalidationLine(rev)}`,
    ...rev.matched.map((m) => `${indent}  - ${matchedLine(m)}`),
    ...(rev.notes ?? []).map((n) => `${indent}  note: ${n}`),
  ];
}

export function fixLine(f: Finding): string {
  const also = f.fix.alternatives?.length ? `; also ${f.fix.alternatives.join(', ')}` : '';
  return `Fix (${f.fix.pattern}${also}): ${f.fix.text}`;
}

/** A finding with its message, fix and evidence lines. */
export function findingBlock(f: Finding, evidence: readonly EvidenceItem[]): string[] {
  const seen = f.count > 1 ? ` (seen ${f.count}×)` : '';
  return [
    `[${f.severity}] ${f.kind} — ${f.tags.join(', ') || '(no tag)'}${seen}`,
    `  ${f.message}`,
    `  ${fixLine(f)}`,
    ...(evidence.length ? ['  Evidence:', ...evidence.map((e) => `    ${e.line}`)] : []),
  ];
}
