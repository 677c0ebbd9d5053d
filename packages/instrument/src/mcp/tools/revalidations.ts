/** `revalidations`: every revalidateTag / updateTag / revalidatePath Next committed, with the entries each matched. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Revalidation } from '../../protocol/events.js';
import { answer, guardedAnswer } from '../answer.js';
import type { ToolContext } from '../context.js';
import { revalidationBlock } from '../describe.js';

export interface RevalidationFilter {
  tag?: string;
  api?: Revalidation['api'];
  route?: string;
  /** true: only those that matched nothing; false: only those that matched something. */
  noop?: boolean;
}

export function filterRevalidations(list: readonly Revalidation[], f: RevalidationFilter): Revalidation[] {
  return list.filter(
    (r) =>
      (!f.tag || r.tags.includes(f.tag)) &&
      (!f.api || r.api === f.api) &&
      (!f.route || r.route === f.route) &&
      (f.noop === undefined || (r.status === 'committed' && (r.matched.length === 0) === f.noop)),
  );
}

export function registerRevalidationsTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'revalidations',
    {
      title: 'Revalidations and what they matched',
      description:
        'The revalidations Next committed in this app (revalidateTag, updateTag, revalidatePath; also ones made from the cachescope overlay or ' +
        'the invalidate tool), newest first: the call and where it came from, its mode (stale-while-revalidate or expire-now) and the live cache ' +
        'entries it matched (kind, route, user scope). A revalidation that matched 0 entries is a no-op. Filter by tag, api, route, or noop.',
      inputSchema: {
        tag: z.string().optional().describe('Only revalidations of this tag.'),
        api: z.enum(['revalidateTag', 'updateTag', 'revalidatePath', 'refresh', 'unknown']).optional(),
        route: z.string().optional().describe('Only revalidations requested from this route, e.g. "/pattern-1".'),
        noop: z.boolean().optional().describe('true: only no-ops; false: only those that matched entries.'),
        limit: z.number().int().min(1).max(200).optional().describe('At most this many (default 20).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ limit = 20, ...filter }) =>
      guardedAnswer(async () => {
        const snapshot = await ctx.snapshot();
        const found = filterRevalidations(snapshot.revalidations, filter).sort((a, b) => b.ts - a.ts);
        const shown = found.slice(0, limit);
        const lines = [
          found.length === 0
            ? 'No revalidation matches.'
            : `${found.length} revalidation${found.length === 1 ? '' : 's'}${found.length > shown.length ? ` (newest ${shown.length})` : ''}:`,
          ...shown.flatMap((r) => revalidationBlock(r, '  ')),
        ];
        return answer(lines, { total: found.length, revalidations: shown });
      }),
  );
}
