/** "Copy as Markdown" for a finding: what happened, why, the fix in the article's terms, the evidence. */
import type { EvidenceLink } from './findings.js';
import { FINDING_KIND_LABEL, FIX_PATTERN_LABEL } from './format.js';
import type { Finding } from './types.js';

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function details(finding: Finding): string[] {
  switch (finding.kind) {
    case 'orphaned-tag':
      return [
        `- **Cause:** ${finding.cause}`,
        ...(finding.dynamicReason ? [`- **Why the call skipped the cache:** ${finding.dynamicReason}`] : []),
        ...(finding.suggestion ? [`- **Closest known tag:** ${code(finding.suggestion)}`] : []),
      ];
    case 'noop-revalidation':
      return [`- **API:** ${code(finding.api)} — ${finding.noops} no-op, ${finding.effective} effective`];
    case 'stale-after-revalidate':
      return [`- **API:** ${code(finding.api)} — entries served stale: ${finding.keys.map(code).join(', ') || 'none held'}`];
    case 'broad-revalidation':
      return [
        `- **Blast radius:** ${finding.blast.entries} entries, ${finding.blast.scopes} user scopes, routes ${finding.blast.routes.map(code).join(', ') || '—'}`,
      ];
    case 'dev-artefact':
      return [`- **Artefact:** ${finding.artefact} (dev only, not a bug in your code)`];
    case 'partial-fleet-revalidation':
      return [
        `- **Revalidated on:** ${code(finding.revalidatedOn)}; still served fresh on ${finding.staleOn.map((s) => `${code(s.instance)} (${s.keys.length})`).join(', ')}`,
      ];
    default:
      return [];
  }
}

export function findingMarkdown(finding: Finding, evidence: readonly EvidenceLink[] = []): string {
  const lines = [
    `### ${FINDING_KIND_LABEL[finding.kind]}${finding.tags.length ? ` — ${finding.tags.map(code).join(', ')}` : ''} (${finding.severity})`,
    '',
    finding.message,
    '',
    ...details(finding),
    `- **Seen:** ${finding.count}× between ${new Date(finding.firstTs).toISOString()} and ${new Date(finding.lastTs).toISOString()}`,
    '',
    `**Fix — ${FIX_PATTERN_LABEL[finding.fix.pattern]}**`,
    '',
    finding.fix.text,
  ];
  if (finding.fix.alternatives?.length) {
    lines.push('', `Also fits: ${finding.fix.alternatives.map((p) => FIX_PATTERN_LABEL[p]).join('; ')}.`);
  }
  if (evidence.length > 0) {
    lines.push('', '**Evidence**', '', ...evidence.map((e) => `- ${e.label}${e.callSite ? ` at \`${e.callSite}\`` : ''}`));
  }
  lines.push('', `_Reported by cachescope (finding ${code(finding.id)})._`);
  return lines.join('\n');
}
