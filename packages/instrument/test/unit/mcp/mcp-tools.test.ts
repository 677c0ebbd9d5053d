// The MCP tools over a real analysis of the golden dev stream (the demo's broken pattern, Patterns 1–3,
// the sledgehammer), through the SDK's own client: what an agent reads must be what the analysis says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import { createMcpServer } from '../../../src/mcp/server.js';
import type { CacheScopeEvent, Snapshot } from '../../../src/protocol/events.js';
import { FIXTURES_DIR } from '../../support/fixtures.js';

function goldenSnapshot(): Snapshot {
  const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'golden-dev.json'), 'utf8')) as { events: CacheScopeEvent[] };
  const analyzer = createAnalyzer();
  const events: CacheScopeEvent[] = [];
  for (const e of golden.events) {
    if (e.type === 'revalidation-commit') {
      const { matched: _m, coalescedInto: _c, ...rest } = e;
      events.push(rest as CacheScopeEvent);
    } else events.push({ ...e });
    analyzer.ingest(events[events.length - 1]!);
  }
  return analyzer.snapshot(events);
}

const text = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0]?.text ?? '';

describe('cachescope MCP tools', () => {
  const snapshot = goldenSnapshot();
  const posts: Array<{ path: string; body: unknown }> = [];
  const client = new Client({ name: 'test', version: '0' });
  beforeAll(async () => {
    const server = createMcpServer({
      snapshot: async () => snapshot,
      post: async (path, body) => {
        posts.push({ path, body });
        return { status: 204, body: '' };
      },
      streamUrl: async () => 'http://127.0.0.1:1',
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(a), client.connect(b)]);
  });
  afterAll(() => client.close());

  it('lists the tools with descriptions', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['calls', 'clear', 'findings', 'invalidate', 'revalidations', 'tag']);
    for (const t of tools) expect(t.description?.length).toBeGreaterThan(80);
  });

  it('findings: the orphaned dashboard-data with its cause, fix and evidence, as text and structured', async () => {
    const result = await client.callTool({ name: 'findings', arguments: { tag: 'dashboard-data' } });
    const orphan = snapshot.findings.find((f) => f.kind === 'orphaned-tag' && f.tags.includes('dashboard-data'))!;
    expect(orphan).toBeDefined();
    expect(text(result)).toContain(orphan.message);
    expect(text(result)).toContain(orphan.fix.text);
    const structured = result.structuredContent as { findings: Array<{ id: string; evidenceEvents: Array<{ line: string }> }> };
    expect(structured.findings.map((f) => f.id)).toContain(orphan.id);
    expect(structured.findings.find((f) => f.id === orphan.id)!.evidenceEvents.some((e) => /fetch\s+SKIP/.test(e.line))).toBe(true);
  });

  it('tag: an unknown tag is said to be unknown, with the closest known tag', async () => {
    const result = await client.callTool({ name: 'tag', arguments: { tag: 'dashbord-data' } });
    expect(text(result)).toContain('Did you mean "dashboard-data"?');
  });

  it('tag: dashboard-data is declared on fetches that dropped it, carried by no entry, revalidated to no effect', async () => {
    const result = await client.callTool({ name: 'tag', arguments: { tag: 'dashboard-data' } });
    const s = result.structuredContent as {
      liveEntries: unknown[];
      declaredBy: Array<{ fate: string; ids: number[] }>;
      orphaned: { cause: string } | null;
      revalidations: Array<{ matched: unknown[] }>;
    };
    expect(s.liveEntries).toEqual([]);
    expect(s.declaredBy.length).toBeGreaterThan(0);
    expect(s.declaredBy.every((d) => d.fate.startsWith('tag DROPPED') && d.fate.includes('forwarded Cookie'))).toBe(true);
    expect(s.orphaned?.cause).toBe('declared-on-uncached-call');
    expect(s.revalidations.length).toBeGreaterThan(0);
    expect(text(result)).toContain('NO-OP: matched 0 live entries');
  });

  it('revalidations: the noop filter splits exactly as the matched counts do', async () => {
    const noops = (await client.callTool({ name: 'revalidations', arguments: { noop: true, limit: 200 } })).structuredContent as {
      total: number;
    };
    const effective = (await client.callTool({ name: 'revalidations', arguments: { noop: false, limit: 200 } })).structuredContent as {
      total: number;
    };
    const committed = snapshot.revalidations.filter((r) => r.status === 'committed');
    expect(noops.total).toBe(committed.filter((r) => r.matched.length === 0).length);
    expect(effective.total).toBe(committed.filter((r) => r.matched.length > 0).length);
    expect(noops.total).toBeGreaterThan(0);
    expect(effective.total).toBeGreaterThan(0);
  });

  it('calls: the broken route is dynamic because its fetches skipped the cache', async () => {
    const result = await client.callTool({ name: 'calls', arguments: { route: '/broken' } });
    expect(text(result)).toContain('Why it is dynamic:');
    expect(
      (result.structuredContent as { dynamicReasons: string[] }).dynamicReasons.some((r) => r.includes('skipped the data cache')),
    ).toBe(true);
  });

  it('invalidate: needs exactly one of tag or path', async () => {
    const result = await client.callTool({ name: 'invalidate', arguments: {} });
    expect(result.isError).toBe(true);
    expect(posts).toEqual([]);
  });
});
