/** `invalidate` and `clear`: act on the running dev server, the way a Server Action would (dev only). */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Revalidation } from '../../protocol/events.js';
import { newestEventId } from '../../cli/stream-access.js';
import { answer, guardedAnswer } from '../answer.js';
import type { ToolContext } from '../context.js';
import { revalidationBlock } from '../describe.js';

const SETTLE_MS = 3_000;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerInvalidateTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'invalidate',
    {
      title: 'Revalidate a tag or a path (next dev only)',
      description:
        'Invalidate a cache tag or a path in the running `next dev` server, through the same cache handlers a revalidateTag/revalidatePath in a ' +
        'Server Action commits to, so you can test a fix without writing an action. mode "revalidate" = revalidateTag(tag, "max") ' +
        '(stale-while-revalidate: the next read is served stale and refetched in the background); mode "expire" = expire now (like updateTag: the ' +
        'next read misses). A path becomes its implicit tag _N_T_<path> (type "layout" or "page" as revalidatePath takes it). Answers which live ' +
        'entries it matched (0 = it reaches nothing). Refused in `next start`.',
      inputSchema: {
        tag: z.string().min(1).optional().describe('A cache tag, exactly as the app declares it.'),
        path: z.string().startsWith('/').optional().describe('A path, e.g. "/pattern-1" (as revalidatePath takes it).'),
        type: z.enum(['page', 'layout']).optional().describe('With path: as the second argument of revalidatePath.'),
        mode: z
          .enum(['revalidate', 'expire'])
          .optional()
          .describe('For a tag: default "revalidate" (stale-while-revalidate). A path always expires now, as revalidatePath does.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ tag, path, type, mode = 'revalidate' }) =>
      guardedAnswer(async () => {
        if ((tag === undefined) === (path === undefined)) throw new Error('Give exactly one of tag or path.');
        const mark = newestEventId(await ctx.snapshot());
        const res = await ctx.post('/invalidate', { tag, path, type, mode: path !== undefined ? 'expire' : mode });
        if (res.status !== 200) throw new Error(`The stream refused the invalidation (HTTP ${res.status}): ${res.body.trim()}`);
        const done = JSON.parse(res.body) as { tags: string[]; mode: string };
        let revalidation: Revalidation | undefined;
        for (const until = Date.now() + SETTLE_MS; !revalidation && Date.now() < until; await delay(100)) {
          const snapshot = await ctx.snapshot();
          revalidation = snapshot.revalidations.find(
            (r) => r.id > mark && r.status !== 'pending' && r.tags.some((t) => done.tags.includes(t)),
          );
        }
        const lines = [
          `Invalidated ${done.tags.join(', ')} (${done.mode}).`,
          ...(revalidation ? revalidationBlock(revalidation) : ['(its revalidation is not in the stream yet)']),
        ];
        return answer(lines, { tags: done.tags, mode: done.mode, revalidation: revalidation ?? null });
      }),
  );

  server.registerTool(
    'clear',
    {
      title: "Clear cachescope's record",
      description:
        "Forget every event, revalidation and finding cachescope holds for this app (the app's cache is untouched). Use it before reproducing a " +
        'problem, so the findings afterwards are only about that run.',
      inputSchema: {},
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    () =>
      guardedAnswer(async () => {
        const res = await ctx.post('/clear');
        if (res.status !== 204 && res.status !== 200)
          throw new Error(`The stream refused to clear (HTTP ${res.status}): ${res.body.trim()}`);
        return answer(['Cleared: cachescope now holds no events, revalidations or findings for this app.'], { cleared: true });
      }),
  );
}
