/** `tag`: one tag explained: who declared it, which live entries carry it, its revalidations, and why it is orphaned. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { closestTag } from '../../analysis/edit-distance.js';
import type {
  CacheScopeEvent,
  FetchEvent,
  OrphanedTagFinding,
  Snapshot,
  SourceSite,
  TagSummary,
  UnstableCacheEvent,
  UseCacheEvent,
} from '../../protocol/events.js';
import { answer, guardedAnswer } from '../answer.js';
import type { ToolContext } from '../context.js';
import { evidenceOf, findingBlock, revalidationBlock } from '../describe.js';

const CALLS_SHOWN = 10;

type DeclaringCall = FetchEvent | UnstableCacheEvent | UseCacheEvent;

function declaredTags(e: CacheScopeEvent): readonly string[] {
  if (e.type === 'fetch') return [...(e.declared.tags ?? []), ...e.tagsAttached, ...e.tagsDropped];
  if (e.type === 'unstable-cache' || e.type === 'use-cache') return e.tags;
  return [];
}

/** What a declaring call did with the tag, in the analysis' words. */
function callFate(e: DeclaringCall, names: ReadonlySet<string>): string {
  if (e.type !== 'fetch') return `${e.decision}${e.type === 'use-cache' && e.reason ? ` (${e.reason})` : ''}`;
  const dropped = e.tagsDropped.some((t) => names.has(t));
  const forwarded = e.forwarded?.length
    ? `; forwarded ${e.forwarded.map((h) => (h === 'cookie' ? 'Cookie' : 'Authorization')).join(', ')}`
    : '';
  return dropped
    ? `tag DROPPED: ${e.dropReason ?? e.reason}${forwarded}`
    : `tag attached to ${e.tagsAttachedTo ?? 'its entry'}; ${e.decision}: ${e.reason}${forwarded}`;
}

function callName(e: DeclaringCall): string {
  if (e.type === 'fetch') return `fetch ${e.method} ${e.url}`;
  if (e.type === 'unstable-cache') return `unstable_cache ${e.fnName ?? e.keyHash.slice(0, 12)}`;
  return `'use cache' ${e.functionId.slice(0, 16)}`;
}

/** Calls that did the same thing with the tag from one place, folded: `fetch POST …/dashboard on /broken at fetchAPI (lib/…:9:21) (6×) → tag DROPPED: …`. */
function groupCalls(calls: readonly DeclaringCall[], names: ReadonlySet<string>) {
  const groups = new Map<string, { what: string; route: string; fate: string; callSite?: string; site?: SourceSite; ids: number[] }>();
  for (const call of calls) {
    const what = callName(call);
    const route = call.route ?? '?';
    const fate = callFate(call, names);
    const key = `${what}|${route}|${fate}|${call.callSite ?? ''}`;
    const group = groups.get(key) ?? { what, route, fate, callSite: call.callSite, site: call.site, ids: [] };
    group.ids.push(call.id);
    groups.delete(key);
    groups.set(key, group); // latest last
  }
  return [...groups.values()];
}

export function explainTag(snapshot: Snapshot, tag: string) {
  const summary: TagSummary | undefined = snapshot.tags.find((t) => t.tag === tag || t.written === tag);
  const names = new Set([tag, ...(summary ? [summary.tag, summary.written ?? summary.tag] : [])]);
  const calls = snapshot.events.filter(
    (e): e is DeclaringCall =>
      (e.type === 'fetch' || e.type === 'unstable-cache' || e.type === 'use-cache') && declaredTags(e).some((t) => names.has(t)),
  );
  const revalidations = snapshot.revalidations.filter((r) => r.tags.some((t) => names.has(t)));
  const orphan = snapshot.findings.find((f): f is OrphanedTagFinding => f.kind === 'orphaned-tag' && f.tags.some((t) => names.has(t)));
  const related = snapshot.findings.filter((f) => f !== orphan && f.tags.some((t) => names.has(t)));
  return { summary, names, calls, revalidations, orphan, related };
}

export function registerTagTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'tag',
    {
      title: 'Explain a cache tag',
      description:
        'Everything cachescope knows about one cache tag (from next.tags, unstable_cache tags, cacheTag(), or an implicit _N_T_ path tag): ' +
        'the calls that declared it and what Next did with it (attached to an entry, or dropped and why: e.g. the fetch forwarded Cookie in a ' +
        'request render, so it skipped the data cache), the live cache entries that carry it now, every revalidation that named it and what it ' +
        'matched, and, when no entry carries it, why it is orphaned and the fix. Use it to answer "why does revalidateTag(x) do nothing?".',
      inputSchema: { tag: z.string().min(1).describe('The tag exactly as the app writes it, e.g. "dashboard-data" or "_N_T_/pattern-1".') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ tag }) =>
      guardedAnswer(async () => {
        const snapshot = await ctx.snapshot();
        const { summary, names, calls, revalidations, orphan, related } = explainTag(snapshot, tag);
        if (!summary && calls.length === 0 && revalidations.length === 0) {
          const near = closestTag(
            tag,
            snapshot.tags.map((t) => t.written ?? t.tag),
          );
          return answer(
            [
              `cachescope has seen no tag "${tag}": no call declared it and no revalidation named it since the stream started (or was cleared).${near ? ` Did you mean "${near}"?` : ''}`,
            ],
            { tag, known: false, suggestion: near ?? null },
          );
        }
        const entries = summary?.entries ?? [];
        const lines = [
          `Tag "${tag}"${summary?.implicit ? ' (implicit path tag)' : ''}: ${entries.length} live ${entries.length === 1 ? 'entry carries' : 'entries carry'} it.`,
        ];
        lines.push('', `Declared by ${calls.length} call${calls.length === 1 ? '' : 's'} held:`);
        for (const group of groupCalls(calls, names).slice(-CALLS_SHOWN)) {
          lines.push(
            `  ${group.what} on ${group.route}${group.callSite ? ` at ${group.callSite}` : ''} (${group.ids.length}×, last #${group.ids.at(-1)})`,
            `    → ${group.fate}`,
          );
        }
        if (calls.length === 0) lines.push('  (none held: the tag was only revalidated, or its calls left the buffer)');
        lines.push('', 'Live entries:');
        if (entries.length === 0) lines.push('  none: no cache entry carries this tag, so revalidating it reaches nothing.');
        for (const e of entries)
          lines.push(
            `  - ${e.kind} ${e.key.slice(0, 16)} ${e.state}${e.route ? ` route ${e.route}` : ''}${e.scope ? ` user scope ${e.scope}` : ''}`,
          );
        lines.push('', `Revalidations naming it: ${revalidations.length}`);
        for (const r of revalidations.slice(-CALLS_SHOWN)) lines.push(...revalidationBlock(r, '  '));
        if (orphan)
          lines.push(
            '',
            `Why it is orphaned (${orphan.cause}):`,
            ...findingBlock(orphan, evidenceOf(snapshot, orphan.evidence.slice(-4))).map((l) => `  ${l}`),
          );
        for (const f of related) lines.push('', ...findingBlock(f, []).map((l) => `  ${l}`));
        return answer(lines, {
          tag,
          known: true,
          summary: summary ?? null,
          declaredBy: groupCalls(calls, names).slice(-CALLS_SHOWN),
          liveEntries: entries,
          revalidations,
          orphaned: orphan ?? null,
          findings: related,
        });
      }),
  );
}
