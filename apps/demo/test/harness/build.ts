// `next build` for the demo, run at most once per test run and config (builds take ~30 s).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DIR, NEXT_BIN } from './paths';
import { spawnManaged } from './processes';

export type BuildPolicy = 'auto' | 'always' | 'never';

export interface BuildOptions {
  cacheComponents: boolean;
  distDir: string;
  env?: Record<string, string>;
  /**
   * auto (default): build unless this test run (CACHESCOPE_HARNESS_RUN_ID, set by the global
   * setup) already built this distDir with the same config. `DEMO_REUSE_BUILD=1` makes `auto`
   * reuse any existing build with the same config (fast local iteration).
   */
  policy?: BuildPolicy;
}

const STAMP = '.harness-build.json';
const builtInThisProcess = new Set<string>();

function stampFor(options: BuildOptions) {
  return {
    runId: process.env.CACHESCOPE_HARNESS_RUN_ID ?? `pid-${process.pid}`,
    cacheComponents: options.cacheComponents,
    cachescope: options.env?.CACHESCOPE ?? process.env.CACHESCOPE ?? 'on',
  };
}

function readStamp(distDir: string): ReturnType<typeof stampFor> | undefined {
  try {
    return JSON.parse(readFileSync(join(DEMO_DIR, distDir, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

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
  const sameConfig = have && have.cacheComponents === want.cacheComponents && have.cachescope === want.cachescope;
  const reusable =
    hasBuild &&
    sameConfig &&
    (have.runId === want.runId || process.env.DEMO_REUSE_BUILD === '1' || builtInThisProcess.has(options.distDir));
  if (policy === 'never' || (policy === 'auto' && reusable)) {
    if (!hasBuild) throw new Error(`no build in ${options.distDir} and build policy is "never"`);
    return { built: false, ms: 0, logs: '' };
  }

  const started = Date.now();
  const proc = spawnManaged(NEXT_BIN, ['build'], {
    cwd: DEMO_DIR,
    env: buildEnv(options),
    label: `next build ${options.distDir}`,
  });
  const timer = setTimeout(() => void proc.stop(), 300_000);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) {
    throw new Error(`next build (${options.distDir}) failed with ${code}:\n${proc.logs().slice(-6000)}`);
  }
  writeFileSync(join(DEMO_DIR, options.distDir, STAMP), JSON.stringify(want));
  builtInThisProcess.add(options.distDir);
  return { built: true, ms: Date.now() - started, logs: proc.logs() };
}
