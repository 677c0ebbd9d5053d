// Call sites point at the app's source: file (relative to the app), line and function, resolved
// through the build's source maps, in next dev and next start. The expected line is read from the
// demo's source by searching for the call's text, never hard-coded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DynamicApiEvent, Revalidation, SourceSite } from '../../src/protocol/events.js';
import { DEMO_DIR, lineOf } from '@cachescope/harness';
import { NO_SOURCE_MAPS } from '../../src/recorder/source-sites.js';
import { eventsAfter, revalidationOf, userTagSuffix, useScenario } from './scenario.js';

function expectSite(site: SourceSite | undefined, file: string, line: number, fn: string) {
  expect(site).toMatchObject({ file, line, fn });
  expect(site!.unresolved).toBeUndefined();
  expect(site!.column).toBeGreaterThan(0);
}

const PER_USER = 'lib/actions/per-user-tags.ts';

describe.each([
  ['dev', 'turbopack', undefined],
  ['prod', 'turbopack', undefined], // Turbopack builds write server source maps by default
  ['dev', 'webpack', undefined],
  ['prod', 'webpack', true], // webpack builds write them only with experimental.serverSourceMaps
] as const)('call sites resolve to the demo source in next %s (%s, server source maps: %s)', (mode, bundler, serverSourceMaps) => {
  const scenario = useScenario(mode, { bundler, serverSourceMaps });

  it("broken pattern: refreshMine's revalidateTag and the page's cookies() read", async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    await s.get('broken', alice);
    await s.act('broken', 'refresh-mine', alice);
    const rev = await s.until('the broken revalidation', (snap) => revalidationOf(snap, mark, 'dashboard-data'));
    expectSite(
      rev.site,
      'app/broken/actions.ts',
      lineOf('app/broken/actions.ts', "revalidateTag('dashboard-data'", 'refreshMine'),
      'refreshMine',
    );
    expect(rev.callSite).toBe(`refreshMine (app/broken/actions.ts:${rev.site!.line}:${rev.site!.column})`);

    const read = await s.until('the broken cookies() read', (snap) =>
      eventsAfter(snap, mark).find((e): e is DynamicApiEvent => e.type === 'dynamic-api' && e.route === '/broken' && e.api === 'cookies'),
    );
    // the layout reads the session first: lib/session.ts's readSession
    expect(read.site).toMatchObject({ file: 'lib/session.ts', line: lineOf('lib/session.ts', 'await cookies()'), fn: 'readSession' });
    expect(read.callSite).toBe(`readSession (lib/session.ts:${read.site!.line}:${read.site!.column})`);
  });

  it('Pattern 1 and the sledgehammer: the per-user helper and the sledgehammer actions', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    await s.get('p1', alice);
    await s.act('p1', 'refresh-mine', alice);
    const mine = await s.until('the p1 refresh-mine revalidation', (snap) =>
      revalidationOf(snap, mark, `p1:dashboard-data:${userTagSuffix(alice)}`),
    );
    expectSite(mine.site, PER_USER, lineOf(PER_USER, 'revalidateTag(userTag(prefix'), 'revalidateMine');

    await s.get('sh', alice);
    await s.act('sh', 'sledgehammer-path', alice);
    const path = await s.until('the sledgehammer revalidatePath', (snap) =>
      snap.revalidations.find((r: Revalidation) => (r.callEventId ?? r.id) > mark && r.api === 'revalidatePath'),
    );
    expectSite(
      path.site,
      'app/sledgehammer/actions.ts',
      lineOf('app/sledgehammer/actions.ts', "revalidatePath('/', 'layout')"),
      'sledgehammerPath',
    );

    const reads = await s.until('the p1 cookies() reads', (snap) => {
      const found = eventsAfter(snap, mark).filter(
        (e): e is DynamicApiEvent => e.type === 'dynamic-api' && e.route === '/pattern-1' && e.api === 'cookies',
      );
      return found.length ? found : undefined;
    });
    for (const read of reads) {
      expect(read.site?.file).toMatch(/^(app|lib|components)\//);
      const file = read.site!.file!;
      expect(readFileSync(join(DEMO_DIR, file), 'utf8').split('\n')[read.site!.line! - 1]).toContain('cookies()');
    }
  });

  it('never names a path outside the app', async () => {
    const snap = await scenario().snapshot();
    const sites = [...snap.events.map((e) => ('site' in e ? e.site : undefined)), ...snap.revalidations.map((r) => r.site)].filter(
      Boolean,
    ) as SourceSite[];
    expect(sites.length).toBeGreaterThan(0);
    for (const site of sites) {
      expect(site.file).not.toMatch(/^\/|^\.\.|node_modules/);
    }
    expect(JSON.stringify([snap.events, snap.revalidations, snap.findings])).not.toContain(DEMO_DIR);
  });
});

describe('call sites in next start without server source maps (experimental.serverSourceMaps: false)', () => {
  const scenario = useScenario('prod', { serverSourceMaps: false });

  it('say so, with the config line that turns them on, and still name the function and the chunk', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    await s.get('broken', alice);
    await s.act('broken', 'refresh-mine', alice);
    const rev = await s.until('the broken revalidation', (snap) => revalidationOf(snap, mark, 'dashboard-data'));
    expect(rev.site?.unresolved).toBe(NO_SOURCE_MAPS);
    expect(rev.site?.unresolved).toContain('experimental: { serverSourceMaps: true }');
    expect(rev.site?.fn).toMatch(/^[A-Za-z_$][\w$]*$/);
    expect(rev.site?.file).toMatch(/^\.next-cachescope-nomaps\/server\//);
    expect(rev.callSite).toBe(`${rev.site!.fn} (${rev.site!.file}:${rev.site!.line}:${rev.site!.column})`);
  });
});
