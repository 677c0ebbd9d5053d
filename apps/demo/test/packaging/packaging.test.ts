// The packages as a user gets them: `pnpm pack` tarballs installed with plain npm into a Next app
// outside this workspace (the demo's sources), built and run on several Next 16 minors, and the
// article's scenario checked through cachescope's /snapshot against the backend's hit counters.
//
//   CACHESCOPE_PACKAGING_NEXT=16.5.0,16.4.6  Next versions to test (default: 16.5.0,16.4.6,16.1.7,16.0.11)
//   CACHESCOPE_PACKAGING_DEV=16.5.0           versions also run under `next dev` (default: the first)
//   CACHESCOPE_PACKAGING_BUNDLERS=webpack     bundlers to build and run each version with (default: turbopack,webpack;
//                                             one npm install per version serves both)
//   KEEP_OUTSIDE_APP=1                        keep the temp apps (paths are printed)
//   CACHESCOPE_NPM_CACHE=<dir>                npm cache shared between runs (default: <tmp>/cachescope-npm-cache)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '@cachescope/harness/backend';
import {
  ARTIFACTS_DIR,
  freshSession,
  getPage,
  lineOf,
  postActionById,
  resolveActionId,
  type Backend,
  type Bundler,
} from '@cachescope/harness';
import { openMcp } from './mcp-stdio';
import {
  REPO_DIR,
  buildAndPack,
  cleanUp,
  createOutsideApp,
  describeSnapshot,
  getSnapshot,
  inspectTarball,
  nextBuild,
  parseVersion,
  pollSnapshot,
  runCachescopeCli,
  snapshotDemoSources,
  startNext,
  tryBuildAndPack,
  type OutsideApp,
  type PackedPackage,
  type RunningNext,
  type TarballReport,
} from './outside-app';

const list = (value: string | undefined, fallback: string[]) =>
  value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : fallback;
const VERSIONS = list(process.env.CACHESCOPE_PACKAGING_NEXT, ['16.5.0', '16.4.6', '16.1.7', '16.0.11']);
const DEV_VERSIONS = new Set(list(process.env.CACHESCOPE_PACKAGING_DEV, VERSIONS.slice(0, 1)));
const BUNDLERS = list(process.env.CACHESCOPE_PACKAGING_BUNDLERS, ['turbopack', 'webpack']) as Bundler[];

const timings: Record<string, number> = {};
const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[label] = Date.now() - started;
  }
};

/** The demo's per-user tag (lib/patterns/per-user-cache.ts): sha256 of the session value, 16 hex chars. */
const userTag = (prefix: string, cookie: string) =>
  `${prefix}:dashboard-data:${createHash('sha256')
    .update(cookie.replace(/^session=/, ''))
    .digest('hex')
    .slice(0, 16)}`;

/**
 * The article's scenario over plain HTTP, checked twice: by the backend's hit counters (ground
 * truth) and by what cachescope reports on /snapshot.
 */
async function articleScenario(server: RunningNext, backend: Backend, label: string, sites: 'source' | 'no-maps') {
  const base = server.baseUrl;
  const alice = freshSession('alice');
  const bob = freshSession('bob');
  const hits = (pattern: string, user: string) => backend.stats().hits[pattern]?.[user] ?? 0;
  const context = () => `\n--- next logs (tail) ---\n${server.logs().slice(-3000)}`;

  // Broken pattern: cookies() + fetch next.tags is never cached, so "refresh mine" revalidates nothing.
  const brokenRefresh = await resolveActionId(base, '/broken', 'refresh-mine', alice);
  expect(hits('broken', 'alice'), 'first GET /broken reaches the backend').toBe(1);
  const again = await getPage(base, '/broken', alice);
  expect(again.status).toBe(200);
  expect(hits('broken', 'alice'), 'second GET /broken reaches the backend again (nothing cached)').toBe(2);
  const brokenAction = await postActionById(base, '/broken', brokenRefresh, alice);
  expect(brokenAction.status, `POST refresh-mine on /broken${context()}`).toBe(200);
  expect(hits('broken', 'alice'), "revalidateTag('dashboard-data','max') refetches nothing").toBe(2);

  const broken = await pollSnapshot(server.cachescopePort, "noop-revalidation and orphaned-tag for 'dashboard-data'", (s) => {
    const noop = s.findings.find((f) => f.kind === 'noop-revalidation' && f.tags.includes('dashboard-data'));
    const orphan = s.findings.find((f) => f.kind === 'orphaned-tag' && f.tags.includes('dashboard-data'));
    return noop && orphan ? { noop, orphan } : undefined;
  });
  expect(broken.value.noop.kind).toBe('noop-revalidation');
  expect(broken.value.orphan.kind).toBe('orphaned-tag');
  // Its call site, through this build's source maps: the outside app's own file and line (read from the source).
  const brokenRevalidation = broken.snapshot.revalidations.find((r) => r.tags.includes('dashboard-data'));
  if (sites === 'source')
    expect(brokenRevalidation?.site, describeSnapshot(broken.snapshot)).toMatchObject({
      file: 'app/broken/actions.ts',
      line: lineOf('app/broken/actions.ts', "revalidateTag('dashboard-data'", 'refreshMine'),
      fn: 'refreshMine',
    });
  else {
    // a webpack build writes no server source maps unless asked: the event says which config line turns them on
    expect(brokenRevalidation?.site?.unresolved, describeSnapshot(broken.snapshot)).toContain('serverSourceMaps: true');
    expect(brokenRevalidation?.site?.file).toMatch(/^\.next\/server\//);
  }

  // Pattern 1: unstable_cache keyed by the session, one entry per user; "refresh mine" reaches only alice's.
  const p1Refresh = await resolveActionId(base, '/pattern-1', 'refresh-mine', alice);
  expect(hits('p1', 'alice'), 'first GET /pattern-1 as alice').toBe(1);
  expect((await getPage(base, '/pattern-1', bob)).status).toBe(200);
  expect(hits('p1', 'bob'), 'first GET /pattern-1 as bob').toBe(1);
  expect((await getPage(base, '/pattern-1', alice)).status).toBe(200);
  expect(hits('p1', 'alice'), "alice's second GET /pattern-1 is served from her cache entry").toBe(1);

  const aliceTag = userTag('p1', alice);
  const bobTag = userTag('p1', bob);
  // Her entry must be known before the revalidation is judged against the index.
  await pollSnapshot(server.cachescopePort, `a live entry tagged ${aliceTag}`, (s) =>
    s.events.some((e) => Array.isArray(e.tags) && (e.tags as string[]).includes(aliceTag)) ? true : undefined,
  );
  const p1Action = await postActionById(base, '/pattern-1', p1Refresh, alice);
  expect(p1Action.status, `POST refresh-mine on /pattern-1${context()}`).toBe(200);
  expect(hits('p1', 'alice'), "revalidateTag(userTag,'max') is stale-while-revalidate: no refetch yet").toBe(1);
  expect(hits('p1', 'bob')).toBe(1);

  const p1 = await pollSnapshot(server.cachescopePort, `the committed revalidation of ${aliceTag}`, (s) => {
    const mine = s.revalidations.filter((r) => r.tags.includes(aliceTag));
    return mine.length && mine.every((r) => r.status !== 'pending') ? mine : undefined;
  });
  expect(p1.value, describeSnapshot(p1.snapshot)).toHaveLength(1);
  const [revalidation] = p1.value;
  expect(revalidation.api).toBe('revalidateTag');
  expect(revalidation.matched, `matched entries of ${aliceTag}`).toHaveLength(1);
  expect(revalidation.matched[0].tag).toBe(aliceTag);
  expect(p1.snapshot.findings.filter((f) => f.kind === 'noop-revalidation' && f.tags.includes(aliceTag))).toEqual([]);
  expect(p1.snapshot.revalidations.filter((r) => r.tags.includes(bobTag))).toEqual([]);
  expect(p1.snapshot.internalErrors ?? [], 'cachescope internal errors').toEqual([]);
  saveArtifact(`packaging-snapshot-${label}.json`, await getSnapshot(server.cachescopePort));
}

/** Best effort: test-artifacts/<name>, for comparing what cachescope saw across versions. */
function saveArtifact(name: string, value: unknown) {
  try {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(join(ARTIFACTS_DIR, name), `${JSON.stringify(value, null, 2)}\n`);
  } catch {
    /* best effort */
  }
}

describe('packaging: the tarballs installed with plain npm into a Next app outside the workspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'cachescope-outside-'));
  const packDir = join(root, 'tarballs');
  const sourcesDir = join(root, 'demo-sources');
  let instrument: PackedPackage | undefined;
  let overlay: PackedPackage | undefined;
  let overlaySkipped: string | undefined;

  beforeAll(async () => {
    instrument = await time('build+pack instrument', () => buildAndPack(join(REPO_DIR, 'packages', 'instrument'), packDir));
    snapshotDemoSources(sourcesDir);
    const result = await time('build+pack overlay', () => tryBuildAndPack(join(REPO_DIR, 'packages', 'overlay'), packDir));
    overlay = result.packed;
    overlaySkipped = result.skipped;
    if (overlaySkipped)
      console.info(`[packaging] @cachescope/overlay does not build yet; tested without it:\n${overlaySkipped.slice(0, 400)}`);
  }, 300_000);

  afterAll(() => {
    const summary = Object.entries(timings).map(([label, ms]) => `  ${label.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
    console.info(`[packaging] timings (apps under ${root}):\n${summary.join('\n')}`);
    saveArtifact('packaging-timings.json', { versions: VERSIONS, timings });
    cleanUp(root);
  });

  const checkTarball = (report: TarballReport) => {
    expect(report.problems).toEqual([]);
    expect(report.raw).not.toContain('workspace:');
  };

  it('@cachescope/instrument: no workspace: ranges, every exported file (JS and .d.ts) and the bin are in the tarball', async () => {
    if (!instrument) throw new Error('instrument was not packed');
    const report = await inspectTarball(instrument.tarball, join(root, 'unpacked-instrument'));
    checkTarball(report);
    expect(report.manifest.peerDependencies?.next).toMatch(/^\^16\./);
    expect(report.manifest.dependencies?.next).toBeUndefined();
    expect(report.manifest.bin).toEqual({ cachescope: './dist/cli/bin.js' });
    // On Node 20 Next compiles next.config.ts to CommonJS, which then require()s this ESM-only
    // package: that needs require(esm), unflagged from Node 20.19.
    expect((report.manifest.engines as { node?: string } | undefined)?.node).toMatch(/^>=\s*20\.19/);
    for (const subpath of ['.', './config', './register', './types', './protocol', './shims/next-cache', './shims/next-headers']) {
      expect(Object.keys(report.manifest.exports as object)).toContain(subpath);
    }
  });

  it('@cachescope/overlay: same checks, react/react-dom ^19 as peers, instrument at its real version', async () => {
    if (!overlay) throw new Error(`@cachescope/overlay did not build and pack: ${overlaySkipped?.split('\n')[0]}`);
    const report = await inspectTarball(overlay!.tarball, join(root, 'unpacked-overlay'));
    checkTarball(report);
    expect(report.manifest.peerDependencies?.react).toMatch(/^\^19\./);
    expect(report.manifest.peerDependencies?.['react-dom']).toMatch(/^\^19\./);
    const onInstrument =
      report.manifest.dependencies?.['@cachescope/instrument'] ?? report.manifest.peerDependencies?.['@cachescope/instrument'];
    if (onInstrument !== undefined) expect(onInstrument).toContain(instrument!.version);
  });

  describe.each(VERSIONS)('next %s', (nextVersion) => {
    let app: OutsideApp | undefined;
    const running: { stop(): Promise<void> }[] = [];
    const [major, minor] = parseVersion(nextVersion);
    const beforePartialPrefetching = major === 16 && minor < 3;

    beforeAll(async () => {
      if (!instrument) throw new Error('instrument was not packed');
      app = await time(`npm install (next ${nextVersion})`, () =>
        createOutsideApp({
          dir: join(root, 'app'), // one app for all versions: npm then only swaps next
          nextVersion,
          tarballs: { instrument: instrument!.tarball, overlay: overlay?.tarball },
          sourcesDir,
        }),
      );
    }, 360_000);

    afterAll(async () => {
      for (const proc of running.splice(0)) await proc.stop().catch(() => {});
    }, 60_000);

    // One install, each bundler in turn: a build replaces the previous one in the app's .next.
    describe.each(BUNDLERS)('%s', (bundler) => {
      let built = false;
      const label = `next ${nextVersion}, ${bundler}`;

      it('next build (CACHESCOPE_ENABLED=1) passes, type-checking the app against the packed .d.ts', async () => {
        const result = await time(`next build (${label})`, () => nextBuild(app!, bundler));
        built = true;
        // only webpack emits its runtime chunk: proof of which bundler built the app
        expect(existsSync(join(app!.dir, '.next', 'server', 'webpack-runtime.js')), 'server/webpack-runtime.js').toBe(
          bundler === 'webpack',
        );
        expect(result.logs).toMatch(/Running TypeScript/);
        expect(result.logs).not.toMatch(/Invalid next\.config/i);
        if (beforePartialPrefetching) expect(result.logs).not.toMatch(/partialPrefetching/);
      }, 360_000);

      it('next start: broken → noop-revalidation + orphaned-tag; pattern 1 refresh-mine matches exactly one entry', async () => {
        if (!built) throw new Error('next build did not pass (see the previous test)');
        const backend = await startBackend({ port: 0 });
        running.push({ stop: () => backend.close() });
        const server = await time(`next start ready (${label})`, () => startNext(app!, 'start', backend.url));
        running.push(server);
        expect(server.logs()).toMatch(new RegExp(`cachescope: recording Next\\.js ${nextVersion.replace(/\./g, '\\.')}`));
        expect(server.logs()).not.toMatch(/not wrapped with withCacheScope/);
        // Turbopack builds write server source maps by default, webpack builds only with experimental.serverSourceMaps
        const sites = bundler === 'turbopack' ? 'source' : 'no-maps';
        await time(`next start scenario (${label})`, () => articleScenario(server, backend, `${nextVersion}-${bundler}-start`, sites));
        // The bin npm linked from the tarball: `report` exits 1 when findings exist.
        const report = await runCachescopeCli(app!, ['report', '--port', String(server.cachescopePort)], [1]);
        expect(report.logs).toMatch(/noop-revalidation/);
        // `cachescope mcp` from the tarball (its MCP SDK installed as a dependency), as an agent's client starts it.
        const mcp = await openMcp(
          join(app!.dir, 'node_modules', '.bin', 'cachescope'),
          ['mcp', '--port', String(server.cachescopePort)],
          app!.dir,
        );
        try {
          const { tools } = await mcp.request('tools/list');
          expect(tools.map((t: { name: string }) => t.name).sort()).toEqual([
            'calls',
            'clear',
            'findings',
            'invalidate',
            'revalidations',
            'tag',
          ]);
          const findings = await mcp.request('tools/call', { name: 'findings', arguments: { tag: 'dashboard-data' } });
          expect(findings.structuredContent.findings.map((f: { kind: string }) => f.kind)).toEqual(
            expect.arrayContaining(['noop-revalidation', 'orphaned-tag']),
          );
          // next start: no invalidation
          const refused = await mcp.request('tools/call', { name: 'invalidate', arguments: { tag: 'dashboard-data' } });
          expect(refused.isError).toBe(true);
          expect(refused.content[0].text).toContain('only available in next dev');
        } finally {
          mcp.close();
        }
        await server.stop();
        await backend.close();
      }, 240_000);

      // next dev only where asked (CACHESCOPE_PACKAGING_DEV): defined only for those versions, never skipped.
      if (DEV_VERSIONS.has(nextVersion))
        it('next dev: the same scenario', async () => {
          const backend = await startBackend({ port: 0 });
          running.push({ stop: () => backend.close() });
          const server = await time(`next dev ready (${label})`, () => startNext(app!, 'dev', backend.url, bundler));
          running.push(server);
          expect(server.logs()).not.toMatch(/not wrapped with withCacheScope/);
          await time(`next dev scenario (${label})`, () => articleScenario(server, backend, `${nextVersion}-${bundler}-dev`, 'source'));
          await server.stop();
          await backend.close();
        }, 300_000);
    });
  });
});
