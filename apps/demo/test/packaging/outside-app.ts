// Packaging helpers: build and `pnpm pack` the workspace packages, check what a tarball really
// contains, and stand up the demo as a Next app OUTSIDE the workspace that installs the tarballs
// with plain npm, the way a user would. Every process goes through the harness's spawnManaged
// (own process group, pid file, killed on stop / exit / global teardown).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { DEMO_DIR, freePort, sleep, spawnManaged, waitFor, type Bundler, type Managed } from '@cachescope/harness';

export const REPO_DIR = join(DEMO_DIR, '..', '..');

/** The pinned versions the outside app installs besides `next` (see research/toolchain.md §0). */
export const APP_DEPENDENCIES = { react: '19.3.1', 'react-dom': '19.3.1' };
export const APP_DEV_DEPENDENCIES = {
  typescript: '6.0.3',
  '@types/react': '19.3.0',
  '@types/react-dom': '19.3.0',
  '@types/node': '^20.19.0',
};

/** What the outside app copies from apps/demo (next.config.ts is written, see nextConfigSource). */
const DEMO_SOURCES = ['app', 'components', 'lib', 'instrumentation.ts'];

/** Shared between runs and versions, so only the first run downloads. */
export const NPM_CACHE = process.env.CACHESCOPE_NPM_CACHE || join(tmpdir(), 'cachescope-npm-cache');
export const KEEP_OUTSIDE_APP = process.env.KEEP_OUTSIDE_APP === '1';

function pnpmBin(): string {
  if (process.env.PNPM_BIN) return process.env.PNPM_BIN;
  const local = join(REPO_DIR, '.tools', 'node_modules', '.bin', 'pnpm');
  return existsSync(local) ? local : 'pnpm';
}

/**
 * The environment a user's shell would give a child: no package-manager (`npm_*`, `pnpm_*`), vitest,
 * NODE_ENV, Next or cachescope variables inherited from the test runner.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|__VITEST|TEST$|NODE_ENV$|NEXT_|__NEXT|CACHESCOPE|__CACHESCOPE|DEMO_|BACKEND_URL$|INIT_CWD$)/i.test(key))
      continue;
    env[key] = value;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1', ...extra };
}

export interface RunResult {
  code: number | string | null;
  ms: number;
  logs: string;
}

/** Runs a command to completion (killed after `timeoutMs`); throws with the log tail unless it exits with one of `okCodes`. */
export async function run(
  command: string,
  args: string[],
  {
    cwd,
    env = cleanEnv(),
    label,
    timeoutMs = 300_000,
    okCodes = [0],
  }: { cwd: string; env?: NodeJS.ProcessEnv; label?: string; timeoutMs?: number; okCodes?: number[] },
): Promise<RunResult> {
  const started = Date.now();
  const name = label ?? `${command} ${args.join(' ')}`;
  const proc = spawnManaged(command, args, { cwd, env, label: name });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop();
  }, timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  const result = { code, ms: Date.now() - started, logs: proc.logs() };
  if (typeof code !== 'number' || !okCodes.includes(code)) {
    const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${String(code)}`;
    throw new Error(`${name} (in ${cwd}) ${why}:\n${result.logs.slice(-6000)}`);
  }
  return result;
}

// ───────────────────────────────────────── packing ─────────────────────────────────────────────

export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
  buildMs: number;
  packMs: number;
}

/** `pnpm --filter <name> run build`, then `pnpm pack` into `destDir`. */
export async function buildAndPack(packageDir: string, destDir: string): Promise<PackedPackage> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const pnpm = pnpmBin();
  const env = isAbsolute(pnpm) ? cleanEnv({ PATH: `${dirname(pnpm)}:${process.env.PATH ?? ''}` }) : cleanEnv();
  const build = await run(pnpm, ['--filter', manifest.name, 'run', 'build'], { cwd: REPO_DIR, env, label: `build ${manifest.name}` });
  mkdirSync(destDir, { recursive: true });
  const pack = await run(pnpm, ['pack', '--pack-destination', destDir, '--json'], { cwd: packageDir, env, label: `pack ${manifest.name}` });
  const json = /\{[\s\S]*\}/.exec(pack.logs)?.[0];
  let tarball: string | undefined;
  try {
    tarball = json ? (JSON.parse(json) as { filename?: string }).filename : undefined;
  } catch {
    tarball = undefined;
  }
  tarball ??= join(destDir, `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`);
  if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}:\n${pack.logs.slice(-2000)}`);
  return { name: manifest.name, version: manifest.version, tarball, buildMs: build.ms, packMs: pack.ms };
}

/** Builds and packs an optional package; `undefined` plus the reason when its build does not pass yet. */
export async function tryBuildAndPack(packageDir: string, destDir: string): Promise<{ packed?: PackedPackage; skipped?: string }> {
  try {
    return { packed: await buildAndPack(packageDir, destDir) };
  } catch (error) {
    return { skipped: String(error).slice(0, 1500) };
  }
}

export interface TarballManifest {
  name: string;
  version: string;
  exports?: unknown;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

export interface TarballReport {
  dir: string;
  manifest: TarballManifest;
  raw: string;
  files: string[];
  /** Everything wrong with it; the test expects []. */
  problems: string[];
}

function walkFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walkFiles(path, base));
    else out.push(relative(base, path));
  }
  return out.sort();
}

/** [subpath, condition path ('types', 'import.types', …), target] for every string target in `exports`. */
export function exportTargets(exportsField: unknown): [string, string, string][] {
  const out: [string, string, string][] = [];
  const visit = (subpath: string, conditions: string[], value: unknown) => {
    if (typeof value === 'string') out.push([subpath, conditions.join('.') || 'default', value]);
    else if (Array.isArray(value)) for (const v of value) visit(subpath, conditions, v);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(subpath, [...conditions, k], v);
  };
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) visit('.', [], exportsField);
  else if (exportsField && typeof exportsField === 'object') {
    const entries = Object.entries(exportsField);
    if (entries.every(([k]) => k.startsWith('.'))) for (const [subpath, v] of entries) visit(subpath, [], v);
    else visit('.', [], exportsField); // conditions at the top level
  }
  return out;
}

/** Extracts `tarball` and checks it the way npm and TypeScript will read it. */
export async function inspectTarball(tarball: string, into: string): Promise<TarballReport> {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', into], { cwd: into, label: `untar ${tarball}` });
  const dir = join(into, 'package');
  const raw = readFileSync(join(dir, 'package.json'), 'utf8');
  const manifest = JSON.parse(raw) as TarballManifest;
  const files = walkFiles(dir);
  const problems: string[] = [];

  for (const line of raw.split('\n'))
    if (line.includes('workspace:')) problems.push(`package.json still has a workspace: range: ${line.trim()}`);

  const targets = exportTargets(manifest.exports);
  if (!targets.length) problems.push('package.json has no exports');
  const subpaths = new Map<string, { types: boolean; js: boolean }>();
  for (const [subpath, condition, target] of targets) {
    if (target.includes('*')) {
      problems.push(`exports["${subpath}"] uses a pattern (${target}); this check does not expand patterns`);
      continue;
    }
    if (!existsSync(join(dir, target))) problems.push(`exports["${subpath}"].${condition} -> ${target} is not in the tarball`);
    const seen = subpaths.get(subpath) ?? { types: false, js: false };
    if (/\.d\.[cm]?ts$/.test(target)) seen.types = true;
    else if (/\.[cm]?js$/.test(target)) seen.js = true;
    subpaths.set(subpath, seen);
  }
  for (const [subpath, seen] of subpaths) {
    if (subpath === './package.json') continue;
    if (!seen.js) problems.push(`exports["${subpath}"] names no JavaScript file`);
    if (!seen.types) problems.push(`exports["${subpath}"] names no .d.ts (no "types" condition)`);
  }

  for (const entry of Array.isArray(manifest.files) ? (manifest.files as string[]) : []) {
    if (!/[*?[]/.test(entry) && !existsSync(join(dir, entry))) problems.push(`"files" lists ${entry}, which is not in the tarball`);
  }

  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, target] of Object.entries(bins)) {
    const path = join(dir, target);
    if (!existsSync(path)) problems.push(`bin "${name}" -> ${target} is not in the tarball`);
    else if (!readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node'))
      problems.push(`bin "${name}" -> ${target} has no "#!/usr/bin/env node" line`);
  }

  for (const file of files) {
    if (/(^|\/)(node_modules|test|tests|__tests__)\//.test(file) || /\.test\.[cm]?[jt]sx?$/.test(file))
      problems.push(`tarball ships test or dependency file ${file}`);
    if (/\.tsbuildinfo$/.test(file)) problems.push(`tarball ships ${file}`);
  }
  return { dir, manifest, raw, files, problems };
}

// ───────────────────────────────────────── the app ─────────────────────────────────────────────

export function parseVersion(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map(Number);
  return [major, minor, patch];
}

/**
 * The outside app's next.config.ts. It mirrors apps/demo/next.config.ts (cacheComponents on, the
 * overlay opt-in, withCacheScope), but sets `partialPrefetching` only where it exists (Next >= 16.3):
 * older 16.x NextConfig types lack the key and the config schema warns about it.
 */
export function nextConfigSource(): string {
  return `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCacheScope } from '@cachescope/instrument/config';
import type { NextConfig } from 'next';

const installed: string = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'next', 'package.json'), 'utf8')).version;
const [major, minor] = installed.split('.').map(Number);

const nextConfig: NextConfig = {
  cacheComponents: true,
  // As in the demo: a production build shows the overlay only when it opted in to cachescope.
  env: { CACHESCOPE_OVERLAY: process.env.CACHESCOPE_ENABLED === '1' ? 'always' : 'dev' },
};
// partialPrefetching only exists from Next 16.3 on (16.4 warns when cacheComponents is set without it).
if (major > 16 || (major === 16 && minor >= 3)) Object.assign(nextConfig, { partialPrefetching: true });

export default withCacheScope(nextConfig);
`;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['dom', 'dom.iterable', 'esnext'],
    allowJs: true,
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: 'react-jsx',
    incremental: true,
    plugins: [{ name: 'next' }],
    paths: { '@/*': ['./*'] },
  },
  include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts', '.next/dev/types/**/*.ts'],
  exclude: ['node_modules'],
};

/**
 * Copies the demo's sources once, right after packing: every version's app is then built from the
 * same sources as the tarballs (the workspace may change while the test runs).
 */
export function snapshotDemoSources(into: string): string {
  rmSync(into, { recursive: true, force: true });
  for (const source of DEMO_SOURCES) cpSync(join(DEMO_DIR, source), join(into, source), { recursive: true });
  return into;
}

export interface OutsideApp {
  dir: string;
  nextVersion: string;
  withOverlay: boolean;
  installMs: number;
  nextBin: string;
}

function sourcesImport(dir: string, specifier: string): string[] {
  const hits: string[] = [];
  for (const file of walkFiles(dir)) {
    if (!/\.(tsx?|mjs|jsx?)$/.test(file) || file.startsWith('node_modules/')) continue;
    if (readFileSync(join(dir, file), 'utf8').includes(`'${specifier}`)) hits.push(file);
  }
  return hits;
}

/**
 * Writes the app into `dir` and runs `npm install` with the shared cache. An app already installed
 * there (an earlier version's) keeps its node_modules, so npm only swaps `next`; its build output
 * is removed. `tarballs.overlay` is optional: without it the app must not import @cachescope/overlay.
 */
export async function createOutsideApp(options: {
  dir: string;
  nextVersion: string;
  tarballs: { instrument: string; overlay?: string };
  /** From snapshotDemoSources (default: apps/demo as it is now). */
  sourcesDir?: string;
}): Promise<OutsideApp> {
  const { dir, nextVersion, tarballs, sourcesDir = DEMO_DIR } = options;
  if (existsSync(join(dir, 'node_modules'))) {
    for (const stale of ['.next', 'next-env.d.ts', 'tsconfig.tsbuildinfo', ...DEMO_SOURCES])
      rmSync(join(dir, stale), { recursive: true, force: true });
  } else {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  for (const source of DEMO_SOURCES) cpSync(join(sourcesDir, source), join(dir, source), { recursive: true });
  writeFileSync(join(dir, 'next.config.ts'), nextConfigSource());
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);

  const overlayUsers = sourcesImport(dir, '@cachescope/overlay');
  if (overlayUsers.length && !tarballs.overlay) {
    throw new Error(`the demo imports @cachescope/overlay (${overlayUsers.join(', ')}) but the overlay package did not build/pack`);
  }
  const manifest = {
    name: 'cachescope-outside-app',
    version: '0.0.0',
    private: true,
    scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
    dependencies: {
      next: nextVersion,
      ...APP_DEPENDENCIES,
      '@cachescope/instrument': `file:${tarballs.instrument}`,
      ...(tarballs.overlay ? { '@cachescope/overlay': `file:${tarballs.overlay}` } : {}),
    },
    devDependencies: APP_DEV_DEPENDENCIES,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  mkdirSync(NPM_CACHE, { recursive: true });
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--cache', NPM_CACHE], {
    cwd: dir,
    label: `npm install (next ${nextVersion})`,
    timeoutMs: 300_000,
  });
  // TypeScript 6 checks side-effect imports (noUncheckedSideEffectImports defaults to true). Next
  // declares '*.css' modules only from 16.4 on; before that `import './globals.css'` fails the
  // build's type check, so an app on an older 16.x with TS 6 needs the option off.
  const globalTypes = join(dir, 'node_modules', 'next', 'types', 'global.d.ts');
  if (!(existsSync(globalTypes) && readFileSync(globalTypes, 'utf8').includes("declare module '*.css'"))) {
    const tsconfig = { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, noUncheckedSideEffectImports: false } };
    writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
  const nextBin = join(dir, 'node_modules', '.bin', 'next');
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules', 'next', 'package.json'), 'utf8')).version;
  if (installed !== nextVersion) throw new Error(`npm installed next ${installed}, expected ${nextVersion}`);
  return { dir, nextVersion, withOverlay: Boolean(tarballs.overlay), installMs: install.ms, nextBin };
}

/** `--webpack` for webpack: Turbopack is Next 16's default. */
const bundlerArgs = (bundler: Bundler) => (bundler === 'webpack' ? ['--webpack'] : []);

/** `next build` with cachescope enabled (withCacheScope only wraps the config when enabled). */
export async function nextBuild(app: OutsideApp, bundler: Bundler = 'turbopack'): Promise<RunResult> {
  return run(app.nextBin, ['build', ...bundlerArgs(bundler)], {
    cwd: app.dir,
    env: cleanEnv({ CACHESCOPE_ENABLED: '1' }),
    label: `next build ${bundler} (next ${app.nextVersion}, outside app)`,
    timeoutMs: 300_000,
  });
}

export interface RunningNext {
  mode: 'start' | 'dev';
  baseUrl: string;
  port: number;
  /** Where cachescope's stream server listens (GET /snapshot). */
  cachescopePort: number;
  proc: Managed;
  readyMs: number;
  logs(): string;
  stop(): Promise<void>;
}

async function waitUntilReady(url: string, proc: Managed, timeoutMs: number): Promise<void> {
  let exited: unknown;
  void proc.exited.then((code) => (exited = code ?? 'signal'));
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`next exited (${String(exited)}) before answering ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1_000, deadline - Date.now())) });
      const body = await res.text();
      if (res.status < 500) return;
      last = `HTTP ${res.status}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`next did not answer ${url} within ${timeoutMs} ms (last: ${String(last)})`);
}

/** `next start` / `next dev` on 127.0.0.1 with cachescope on, on free ports (retried if a port race is lost). */
/** `bundler` matters for `dev` only: `start` serves whatever the last build produced. */
export async function startNext(
  app: OutsideApp,
  mode: 'start' | 'dev',
  backendUrl: string,
  bundler: Bundler = 'turbopack',
  readyTimeoutMs = 180_000,
): Promise<RunningNext> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let cachescopePort = await freePort();
    while (cachescopePort === port) cachescopePort = await freePort();
    const args = [mode, ...(mode === 'dev' ? bundlerArgs(bundler) : []), '-H', '127.0.0.1', '-p', String(port)];
    const started = Date.now();
    const proc = spawnManaged(app.nextBin, args, {
      cwd: app.dir,
      env: cleanEnv({ CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(cachescopePort), BACKEND_URL: backendUrl }),
      label: `next ${args.join(' ')} (next ${app.nextVersion}, outside app)`,
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(`${baseUrl}/`, proc, readyTimeoutMs);
      // register() starts the stream server; it must answer before the scenario relies on it.
      await waitFor(async () => ((await fetch(`http://127.0.0.1:${cachescopePort}/snapshot`)).ok ? true : undefined), {
        timeoutMs: 15_000,
        what: `cachescope /snapshot on port ${cachescopePort}`,
      });
    } catch (error) {
      lastError = new Error(`${String(error)}\n--- next logs ---\n${proc.logs().slice(-5000)}`);
      await proc.stop();
      if (/EADDRINUSE/.test(proc.logs())) continue; // lost a port race: try other ports
      throw lastError;
    }
    return {
      mode,
      baseUrl,
      port,
      cachescopePort,
      proc,
      readyMs: Date.now() - started,
      logs: () => proc.logs(),
      stop: () => proc.stop(),
    };
  }
  throw lastError;
}

/** The installed `cachescope` bin (node_modules/.bin, as npm linked it), e.g. `report --port N`. */
export function runCachescopeCli(app: OutsideApp, args: string[], okCodes = [0]): Promise<RunResult> {
  return run(join(app.dir, 'node_modules', '.bin', 'cachescope'), args, {
    cwd: app.dir,
    label: `cachescope ${args.join(' ')}`,
    timeoutMs: 30_000,
    okCodes,
  });
}

// ───────────────────────────────────────── snapshot ────────────────────────────────────────────

/** The parts of cachescope's /snapshot this test reads (the full type is in @cachescope/instrument). */
export interface SnapshotView {
  schemaVersion: number;
  events: { type: string; [key: string]: unknown }[];
  findings: { kind: string; tags: string[]; message: string; cause?: string; [key: string]: unknown }[];
  revalidations: {
    api: string;
    tags: string[];
    status: string;
    matched: { key: string; kind: string; tag: string; scope?: string; via: string }[];
    callSite?: string;
    site?: { file?: string; line?: number; column?: number; fn?: string; unresolved?: string };
    [key: string]: unknown;
  }[];
  internalErrors?: { where: string; message: string; count: number }[];
}

export async function getSnapshot(cachescopePort: number): Promise<SnapshotView> {
  const res = await fetch(`http://127.0.0.1:${cachescopePort}/snapshot`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET /snapshot: HTTP ${res.status}`);
  return (await res.json()) as SnapshotView;
}

/** A short, secret-free description of a snapshot for failure messages. */
export function describeSnapshot(snapshot: SnapshotView): string {
  return JSON.stringify(
    {
      findings: snapshot.findings.map((f) => `${f.kind}${f.cause ? `(${f.cause})` : ''} [${f.tags.join(',')}]`),
      revalidations: snapshot.revalidations.map(
        (r) => `${r.api} [${r.tags.join(',')}] ${r.status} matched=${r.matched.length} at ${r.callSite ?? '?'}`,
      ),
      events: snapshot.events.length,
      internalErrors: snapshot.internalErrors ?? [],
    },
    null,
    1,
  );
}

/**
 * Polls /snapshot until `select` returns a value (events flush every 50 ms), or fails after
 * `timeoutMs` with what the snapshot did contain.
 */
export async function pollSnapshot<T>(
  cachescopePort: number,
  what: string,
  select: (snapshot: SnapshotView) => T | undefined,
  timeoutMs = 2_000,
): Promise<{ value: T; snapshot: SnapshotView }> {
  const deadline = Date.now() + timeoutMs;
  let snapshot: SnapshotView | undefined;
  for (;;) {
    snapshot = await getSnapshot(cachescopePort);
    const value = select(snapshot);
    if (value !== undefined) return { value, snapshot };
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  throw new Error(`cachescope snapshot never showed ${what} within ${timeoutMs} ms; it had:\n${describeSnapshot(snapshot)}`);
}

/** Removes `dir` unless KEEP_OUTSIDE_APP=1 (then says where it is). */
export function cleanUp(dir: string | undefined): void {
  if (!dir || !existsSync(dir)) return;
  if (KEEP_OUTSIDE_APP) {
    console.info(`[packaging] KEEP_OUTSIDE_APP=1: kept ${dir}`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}

export function sizeOf(file: string): number {
  return statSync(file).size;
}
