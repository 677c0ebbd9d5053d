// `cachescope mcp` (the built CLI) driven by the MCP SDK's own client over stdio, against the demo in
// next dev after the broken pattern and Pattern 1 ran. Ground truth: the backend's hit counters.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, lineOf } from '@cachescope/harness';
import { revalidationOf, userTagSuffix, useScenario } from './scenario.js';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: structured content is untyped JSON; the test reads into it
type Structured = Record<string, any>;
const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]?.text ?? '';

describe('cachescope mcp against next dev', () => {
  const scenario = useScenario('dev');
  let client: Client;
  let stderr = '';
  let users: { alice: string; bob: string };

  beforeAll(async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    users = { alice, bob };
    // The broken pattern: fetches that forward Cookie (dashboard-data dropped), then a revalidateTag that reaches nothing.
    const mark = await s.mark();
    await s.get('broken', alice);
    await s.act('broken', 'refresh-mine', alice);
    await s.until('the broken refresh-mine', (snap) => revalidationOf(snap, mark, 'dashboard-data'));
    // Pattern 1: one unstable_cache entry per user.
    await s.get('p1', alice);
    await s.get('p1', bob);

    const port = new URL(s.streamUrl).port;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      cwd: DEMO_DIR, // found as the CLI finds it: the stream of the app in the working directory
      env: { ...(process.env as Record<string, string>), CACHESCOPE_PORT: port },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'cachescope-test', version: '0' });
    await client.connect(transport);
  }, 600_000);

  afterAll(async () => {
    await client?.close();
  });

  it('lists its tools, each described for an agent', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['calls', 'clear', 'findings', 'invalidate', 'revalidations', 'tag']);
    expect(stderr).toBe('');
  });

  it('findings: the no-op revalidation and the orphaned dashboard-data, with the fix', async () => {
    const result = await client.callTool({ name: 'findings', arguments: { tag: 'dashboard-data' } });
    const findings = (result.structuredContent as Structured).findings as Structured[];
    const noop = findings.find((f) => f.kind === 'noop-revalidation');
    const orphan = findings.find((f) => f.kind === 'orphaned-tag');
    expect(noop).toBeDefined();
    expect(orphan).toMatchObject({ cause: 'declared-on-uncached-call', fix: { pattern: 'pattern-1' } });
    expect(text(result)).toContain(orphan!.fix.text);
    expect(text(result)).toMatch(/revalidateTag\("dashboard-data", "max"\)\s+requested/); // the evidence, quoted
  });

  it('tag: dashboard-data was declared on a fetch that forwarded Cookie, and no entry carries it', async () => {
    const result = await client.callTool({ name: 'tag', arguments: { tag: 'dashboard-data' } });
    const s = result.structuredContent as Structured;
    expect(s.liveEntries).toEqual([]);
    expect(s.orphaned.cause).toBe('declared-on-uncached-call');
    expect(s.declaredBy.length).toBeGreaterThan(0);
    for (const call of s.declaredBy) {
      expect(call.route).toBe('/broken');
      expect(call.fate).toMatch(/^tag DROPPED: .*forwarded Cookie$/);
      // where the app declared it: the fetch in the demo's source, a path an agent can open
      expect(call.site).toMatchObject({
        file: 'lib/patterns/broken.ts',
        line: lineOf('lib/patterns/broken.ts', "await fetch(dashboardUrl('broken')"),
      });
    }
    expect(text(result)).toMatch(/on \/broken at .*lib\/patterns\/broken\.ts:\d+:\d+/);
    expect(s.revalidations.some((r: Structured) => r.status === 'committed' && r.matched.length === 0)).toBe(true);
    expect(text(result)).toContain('none: no cache entry carries this tag');
  });

  it("invalidate: expiring alice's Pattern 1 tag makes her next request refetch, and nobody else's", async () => {
    const s = scenario();
    const aliceTag = `p1:dashboard-data:${userTagSuffix(users.alice)}`;
    // Both users' entries are warm: a read costs the backend nothing.
    const warm = { alice: s.hits('p1', 'alice'), bob: s.hits('p1', 'bob') };
    await s.get('p1', users.alice);
    await s.get('p1', users.bob);
    expect([s.hits('p1', 'alice') - warm.alice, s.hits('p1', 'bob') - warm.bob]).toEqual([0, 0]);

    const result = await client.callTool({ name: 'invalidate', arguments: { tag: aliceTag, mode: 'expire' } });
    expect(result.isError, text(result)).toBeFalsy();
    const revalidation = (result.structuredContent as Structured).revalidation as Structured;
    expect(revalidation).toMatchObject({ api: 'revalidateTag', mode: 'expire-now', status: 'committed' });
    expect(revalidation.matched).toHaveLength(1);
    expect(revalidation.matched[0]).toMatchObject({ kind: 'UNSTABLE_CACHE', tag: aliceTag });

    const before = { alice: s.hits('p1', 'alice'), bob: s.hits('p1', 'bob') };
    await s.get('p1', users.alice);
    await s.get('p1', users.bob);
    expect(s.hits('p1', 'alice') - before.alice).toBe(1);
    expect(s.hits('p1', 'bob') - before.bob).toBe(0);

    // It is in the revalidations like any other.
    const listed = await client.callTool({ name: 'revalidations', arguments: { tag: aliceTag } });
    expect((listed.structuredContent as Structured).revalidations.map((r: Structured) => r.id)).toContain(revalidation.id);
  });

  it("invalidate a path: /pattern-1's implicit tag reaches every user's entry read there, and both refetch", async () => {
    const s = scenario();
    await s.get('p1', users.alice);
    await s.get('p1', users.bob);
    const result = await client.callTool({ name: 'invalidate', arguments: { path: '/pattern-1' } });
    expect(result.isError, text(result)).toBeFalsy();
    const revalidation = (result.structuredContent as Structured).revalidation as Structured;
    // revalidatePath commits the path's _N_T_ tag, expire-now; it reaches entries through the tags they were read with.
    expect(revalidation).toMatchObject({ api: 'revalidatePath', tags: ['_N_T_/pattern-1'], mode: 'expire-now' });
    const p1Entries = revalidation.matched.filter((m: Structured) => m.kind === 'UNSTABLE_CACHE');
    expect(p1Entries.length).toBeGreaterThanOrEqual(2);
    expect(p1Entries.every((m: Structured) => m.via === 'soft-tag')).toBe(true);

    const before = { alice: s.hits('p1', 'alice'), bob: s.hits('p1', 'bob') };
    await s.get('p1', users.alice);
    await s.get('p1', users.bob);
    expect([s.hits('p1', 'alice') - before.alice, s.hits('p1', 'bob') - before.bob]).toEqual([1, 1]);
  });

  it('calls: why /broken is dynamic (cookies() read, fetches that skipped the cache)', async () => {
    const result = await client.callTool({ name: 'calls', arguments: { route: '/broken' } });
    const reasons = (result.structuredContent as Structured).dynamicReasons as string[];
    expect(reasons.some((r) => r.startsWith('cookies() read'))).toBe(true);
    expect(reasons.some((r) => r.includes('skipped the data cache'))).toBe(true);
  });
});
