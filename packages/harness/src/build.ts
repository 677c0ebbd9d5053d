// `next build` for the demo, run at most once per test run and config (builds take ~30 s).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DIR, NEXT_BIN } from './paths';
import { spawnManaged } from './processes';

export type BuildPolicy = 'auto' | 'always' | 'never';
/** Next 16 builds with Turbopack by default; `webpack` passes --webpack. */
export type Bundler = 'turbopack' | 'webpack';

export interface BuildOptions {
  cacheComponents: boolean;
  distDir: string;
  env?: Record<string, string>;
  bundler?: Bundler;
  /**
   * auto (default): build unless this test run (CACHESCOPE_HARNESS_RUN_ID, set by the global
   * setup) already built this distDir with the same config. `DEMO_REUSE_BUILD=1` makes `auto`
   * reuse any existing build with the same config (fast local iteration).
   */
  policy?: BuildPolicy;
}

const STAMP = '.harness-build.json';
/** A failed build is remembered for the rest of the run so later files fail fast instead of rebuilding. */
const FAILED = '.harness-build-failed.json';
const builtInThisProcess = new Set<string>();

/** Env that changes what `next build` produces (a build made with other values is not reused). */
const BUILD_ENV = (key: string) =>
  key === 'CACHESCOPE' ||
  key === 'CACHESCOPE_ENABLED' ||
  key === 'BACKEND_URL' ||
  key === 'DEMO_SERVER_SOURCE_MAPS' ||
  key.startsWith('NEXT_PUBLIC_');

function stampFor(options: BuildOptions) {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  const buildEnv = Object.keys(env)
    .filter(BUILD_ENV)
    .sort()
    .map((k) => `${k}=${env[k]}`);
  return {
    runId: process.env.CACHESCOPE_HARNESS_RUN_ID ?? `pid-${process.pid}`,
    cacheComponents: options.cacheComponents,
    buildEnv: buildEnv.join(' '),
    bundler: options.bundler ?? 'turbopack',
  };
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const readStamp = (distDir: string) => readJson<ReturnType<typeof stampFor>>(join(DEMO_DIR, distDir, STAMP));

export function buildEnv(options: { cacheComponents: boolean; distDir: string; env?: Record<string, string> }) {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    DEMO_CACHE_COMPONENTS: options.cacheComponents ? '1' : '0',
    DEMO_DIST_DIR: options.distDir,
    ...options.env,
  };
}

/** Builds unless a reusable build exists. Returns whether it actually built, and how long it took. */
export async function ensureBuild(options: BuildOptions): Promise<{ built: boolean; ms: number; logs: string }> {
  const policy = options.policy ?? 'auto';
  const want = stampFor(options);
  const have = readStamp(options.distDir);
  const hasBuild = existsSync(join(DEMO_DIR, options.distDir, 'BUILD_ID'));
  const sameConfig =
    have &&
    have.cacheComponents === want.cacheComponents &&
    have.buildEnv === want.buildEnv &&
    (have.bundler ?? 'turbopack') === want.bundler;
  const reusable =
    hasBuild &&
    sameConfig &&
    (have.runId === want.runId || process.env.DEMO_REUSE_BUILD === '1' || builtInThisProcess.has(options.distDir));
  if (policy === 'auto') {
    const failed = readJson<{ key: string; error: string }>(join(DEMO_DIR, options.distDir, FAILED));
    if (failed?.key === JSON.stringify(want)) throw new Error(`(remembered from earlier in this run) ${failed.error}`);
  }
  if (policy === 'never' || (policy === 'auto' && reusable)) {
    if (!hasBuild) throw new Error(`no build in ${options.distDir} and build policy is "never"`);
    return { built: false, ms: 0, logs: '' };
  }

  const started = Date.now();
  // withCacheScope inlines the first stream port into the overlay; a build is shared by servers on other
  // ports, so every build's overlay looks for its app's stream from the default port on.
  const env: NodeJS.ProcessEnv = { ...buildEnv(options) };
  delete env.CACHESCOPE_PORT;
  const proc = spawnManaged(NEXT_BIN, options.bundler === 'webpack' ? ['build', '--webpack'] : ['build'], {
    cwd: DEMO_DIR,
    env,
    label: `next build ${options.distDir}`,
  });
  const timer = setTimeout(() => void proc.stop(), 300_000);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) {
    const error = `next build (${options.distDir}) failed with ${code}:\n${proc.logs().slice(-6000)}`;
    mkdirSync(join(DEMO_DIR, options.distDir), { recursive: true });
    writeFileSync(join(DEMO_DIR, options.distDir, FAILED), JSON.stringify({ key: JSON.stringify(want), error }));
    throw new Error(error);
  }
  rmSync(join(DEMO_DIR, options.distDir, FAILED), { force: true });
  writeFileSync(join(DEMO_DIR, options.distDir, STAMP), JSON.stringify(want));
  builtInThisProcess.add(options.distDir);
  return { built: true, ms: Date.now() - started, logs: proc.logs() };
}
