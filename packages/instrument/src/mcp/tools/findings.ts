/** `findings`: what cachescope found wrong, with its evidence and the fix from the article's decision rule. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Finding, FindingKind } from '../../protocol/events.js';
import { answer, guardedAnswer } from '../answer.js';
import type { ToolContext } from '../context.js';
import { evidenceOf, findingBlock } from '../describe.js';

const KINDS = [
  'orphaned-tag',
  'noop-revalidation',
  'stale-after-revalidate',
  'broad-revalidation',
  'deprecated-revalidate-tag-single-arg',
  'dev-artefact',
] as const satisfies readonly FindingKind[];
const EVIDENCE_SHOWN = 6;

export function registerFindingsTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'findings',
    {
      title: 'Cache findings',
      description:
        "Problems cachescope found in this Next.js app's data cache, from what Next really did at run time: " +
        'orphaned tags (a tag no live cache entry carries, e.g. declared on a fetch that skipped the cache because it forwarded Cookie), ' +
        'no-op revalidations (revalidateTag/updateTag/revalidatePath that matched zero entries), stale reads after revalidateTag(tag, "max"), ' +
        "revalidations that reached several users' entries, and dev-only artefacts. Each finding has a message, the events that prove it " +
        '(evidence) and the fix. Call this first when a revalidation "does nothing" or data is stale. Filter by kind or tag.',
      inputSchema: {
        kind: z.enum(KINDS).optional().describe('Only findings of this kind.'),
        tag: z.string().optional().describe('Only findings about this tag.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ kind, tag }) =>
      guardedAnswer(async () => {
        const snapshot = await ctx.snapshot();
        const findings = snapshot.findings.filter((f) => (!kind || f.kind === kind) && (!tag || f.tags.includes(tag)));
        const items = findings.map((f: Finding) => ({ finding: f, evidence: evidenceOf(snapshot, f.evidence.slice(-EVIDENCE_SHOWN)) }));
        const filter = [kind && `kind ${kind}`, tag && `tag ${tag}`].filter(Boolean).join(', ');
        const lines = [
          findings.length === 0
            ? `No findings${filter ? ` (${filter})` : ''}. ${snapshot.events.length} events held, ${snapshot.revalidations.length} revalidations seen.`
            : `${findings.length} finding${findings.length === 1 ? '' : 's'}${filter ? ` (${filter})` : ''}:`,
          ...items.flatMap(({ finding, evidence }) => ['', ...findingBlock(finding, evidence)]),
        ];
        return answer(lines, {
          findings: items.map(({ finding, evidence }) => ({ ...finding, evidenceEvents: evidence.map(({ id, line }) => ({ id, line })) })),
        });
      }),
  );
}
