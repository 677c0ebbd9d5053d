/** `calls`: the cache calls of one route or request: decisions, reasons, tags kept and dropped, dynamic reads. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CacheScopeEvent, DynamicApiEvent, FetchEvent, Snapshot } from '../../protocol/events.js';
import { answer, guardedAnswer } from '../answer.js';
import type { ToolContext } from '../context.js';
import { eventLine } from '../describe.js';

const CALL_TYPES = new Set(['fetch', 'unstable-cache', 'use-cache', 'dynamic-api', 'revalidate-call']);
const SHOWN = 40;

export function callsOf(snapshot: Snapshot, where: { route?: string; requestId?: string }): CacheScopeEvent[] {
  return snapshot.events.filter(
    (e) => CALL_TYPES.has(e.type) && (!where.route || e.route === where.route) && (!where.requestId || e.requestId === where.requestId),
  );
}

/** Why the route renders dynamically, from what it read and which calls skipped the cache. */
export function dynamicReasons(events: readonly CacheScopeEvent[]): string[] {
  const reasons = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'dynamic-api') {
      const d = e as DynamicApiEvent;
      reasons.set(
        `api:${d.api}:${d.callSite ?? ''}`,
        `${d.api}() read${d.callSite ? ` at ${d.callSite}` : ''}${d.count && d.count > 1 ? ` (${d.count}× in one request)` : ''}`,
      );
    } else if (e.type === 'fetch' && (e as FetchEvent).decision === 'skip') {
      const f = e as FetchEvent;
      reasons.set(`fetch:${f.method} ${f.url}:${f.reasonCode}`, `${f.method} ${f.url} skipped the data cache: ${f.reason}`);
    }
  }
  return [...reasons.values()];
}

export function registerCallsTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'calls',
    {
      title: 'Cache calls of a route or request',
      description:
        'The data-cache calls one route (e.g. "/pattern-1" or "/posts/[id]") or one request made, oldest first: every fetch, unstable_cache and ' +
        "'use cache' call with cachescope's decision (HIT, STALE, MISS, SKIP with Next's reason, DEDUPED), tags attached and dropped, the dynamic " +
        'APIs read (cookies(), headers(), connection()) with their call sites, and revalidation calls. Answers "why is this route dynamic?" and ' +
        '"why did this fetch miss?". Without route or requestId it lists the routes and their latest requests.',
      inputSchema: {
        route: z.string().optional().describe('The route as Next names it (workStore.route), e.g. "/pattern-1".'),
        requestId: z.string().optional().describe('One request, by the requestId the events carry.'),
        limit: z.number().int().min(1).max(500).optional().describe(`At most this many calls, the latest (default ${SHOWN}).`),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ route, requestId, limit = SHOWN }) =>
      guardedAnswer(async () => {
        const snapshot = await ctx.snapshot();
        if (!route && !requestId) {
          const routes = new Map<string, { calls: number; requests: Set<string> }>();
          for (const e of callsOf(snapshot, {})) {
            const r = routes.get(e.route ?? '?') ?? { calls: 0, requests: new Set<string>() };
            r.calls++;
            if (e.requestId) r.requests.add(e.requestId);
            routes.set(e.route ?? '?', r);
          }
          const list = [...routes].map(([name, r]) => ({ route: name, calls: r.calls, requests: [...r.requests].slice(-5) }));
          return answer(
            [
              `${list.length} route${list.length === 1 ? '' : 's'} with calls held:`,
              ...list.map((r) => `  ${r.route}: ${r.calls} calls; latest requests ${r.requests.join(', ') || '?'}`),
            ],
            { routes: list },
          );
        }
        const calls = callsOf(snapshot, { route, requestId });
        const shown = calls.slice(-limit);
        const dynamic = dynamicReasons(calls);
        const subject = requestId ? `request ${requestId}` : `route ${route}`;
        const lines = [
          `${calls.length} call${calls.length === 1 ? '' : 's'} held for ${subject}${calls.length > shown.length ? ` (latest ${shown.length})` : ''}:`,
          ...shown.map((e) => `  ${eventLine(e)}`),
          '',
          dynamic.length ? 'Why it is dynamic:' : 'Nothing it did makes it dynamic (no dynamic API read, no fetch skipped the cache).',
          ...dynamic.map((d) => `  - ${d}`),
        ];
        return answer(lines, { subject, total: calls.length, calls: shown, dynamicReasons: dynamic });
      }),
  );
}
