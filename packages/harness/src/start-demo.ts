// startDemo(): backend (in-process) + the demo under `next dev` or `next build && next start`.
import { startBackend } from '../backend/backend.mjs';
import { ensureBuild, buildEnv, type BuildPolicy, type Bundler } from './build';
import { DEMO_DIR, NEXT_BIN } from './paths';
import { freePort } from './ports';
import { spawnManaged, type Managed } from './processes';
import { sleep } from './wait';

export type Backend = Awaited<ReturnType<typeof startBackend>>;
export type DemoMode = 'dev' | 'prod';

export interface StartDemoOptions {
  mode: DemoMode;
  /** Extra env for next (build and server). */
  env?: Record<string, string>;
  /** Default true. false sets DEMO_CACHE_COMPONENTS=0. */
  cacheComponents?: boolean;
  /** Default `.next` with cacheComponents, `.next-nocc` without. */
  distDir?: string;
  /** Prod only: see ensureBuild. */
  build?: BuildPolicy;
  /** Default turbopack (Next 16's default); webpack passes --webpack to next build / next dev. */
  bundler?: Bundler;
  /** Path polled until the server answers (default `/`; in dev this also compiles it). */
  readyPath?: string;
  readyTimeoutMs?: number;
  /**
   * Prod only: start the backend before `next build` and build against it, so pages prerendered at
   * build time fetch real data (their entries are on disk when the server starts). The build is then
   * stamped with the backend's URL, so give it a distDir of its own.
   */
  backendAtBuild?: boolean;
  /** Use this (another demo's) backend instead of starting one: several instances, one counting origin. Not closed by stop(). */
  backend?: Backend;
}

export interface DemoServer {
  mode: DemoMode;
  baseUrl: string;
  port: number;
  distDir: string;
  cacheComponents: boolean;
  backend: Backend;
  /** Captured `next build` + `next dev|start` stdout/stderr. */
  logs(): string;
  /** Last `n` characters of the logs, for failure messages. */
  tail(n?: number): string;
  /** The event stream register() said it records to (the newest such log line), if any. */
  streamUrl(): string | undefined;
  stop(): Promise<void>;
}

/**
 * Polls `url` until it answers below 500. A server that keeps answering 5xx for `errorBudgetMs`
 * (e.g. a broken build or config) fails fast with the body excerpt instead of waiting it out.
 */
/** The stream register() said it records to (its newest start line in `logs`). */
export function streamUrlIn(logs: string): string | undefined {
  return [...logs.matchAll(/cachescope: recording .*, stream (http:\/\/127\.0\.0\.1:\d+)/g)].at(-1)?.[1];
}

export async function waitUntilAnswering(url: string, proc: Managed, timeoutMs: number, errorBudgetMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let exited: unknown;
  void proc.exited.then((code) => (exited = code ?? 'signal'));
  let lastError: unknown;
  let firstServerError: number | undefined;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`next exited (${String(exited)}) before answering`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1_000, deadline - Date.now())) });
      const body = await res.text();
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`;
      firstServerError ??= Date.now();
      if (Date.now() - firstServerError > errorBudgetMs) {
        throw new Error(`next kept answering ${url} with ${lastError}`);
      }
    } catch (error) {
      if (firstServerError !== undefined && Date.now() - firstServerError > errorBudgetMs) throw error;
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(`next did not answer ${url} within ${timeoutMs} ms (last: ${String(lastError)})`);
}

export async function startDemo(options: StartDemoOptions): Promise<DemoServer> {
  const cacheComponents = options.cacheComponents ?? true;
  const distDir = options.distDir ?? (cacheComponents ? '.next' : '.next-nocc');
  const ownBackend = options.backend === undefined;
  const backend = options.backend ?? (await startBackend({ port: 0 }));
  const closeBackend = () => (ownBackend ? backend.close() : Promise.resolve());
  const env = { ...options.env, ...(options.backendAtBuild ? { BACKEND_URL: backend.url } : {}) };
  let buildLogs = '';
  if (options.mode === 'prod') {
    try {
      const result = await ensureBuild({ cacheComponents, distDir, env, policy: options.build, bundler: options.bundler });
      buildLogs = result.logs;
    } catch (error) {
      await closeBackend();
      throw error;
    }
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const devWebpack = options.mode === 'dev' && options.bundler === 'webpack' ? ['--webpack'] : [];
    const args = [options.mode === 'dev' ? 'dev' : 'start', ...devWebpack, '-H', '127.0.0.1', '-p', String(port)];
    const proc = spawnManaged(NEXT_BIN, args, {
      cwd: DEMO_DIR,
      env: { ...buildEnv({ cacheComponents, distDir, env }), BACKEND_URL: backend.url, PORT: String(port) },
      label: `next ${args.join(' ')} (${distDir})`,
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const logs = () => buildLogs + proc.logs();
    try {
      await waitUntilAnswering(`${baseUrl}${options.readyPath ?? '/'}`, proc, options.readyTimeoutMs ?? 120_000);
    } catch (error) {
      lastError = new Error(`${String(error)}\n--- next logs ---\n${proc.logs().slice(-4000)}`);
      await proc.stop();
      if (/EADDRINUSE/.test(proc.logs())) continue; // lost the port race: try another
      await closeBackend();
      throw lastError;
    }
    return {
      mode: options.mode,
      baseUrl,
      port,
      distDir,
      cacheComponents,
      backend,
      logs,
      tail: (n = 4000) => logs().slice(-n),
      streamUrl: () => streamUrlIn(proc.logs()),
      async stop() {
        await proc.stop();
        await closeBackend();
      },
    };
  }
  await closeBackend();
  throw lastError;
}
