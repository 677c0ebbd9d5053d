// `export { register } from '@cachescope/instrument/register'` in instrumentation.ts, or
// `await registerCacheScope(options)` inside an existing register(). Node runtime only; a no-op on
// the edge runtime, during `next build`, and in `next start` unless CACHESCOPE_ENABLED=1.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { currentAppIdentity } from './hooks/config/app-identity.js';
import { isEnabled } from './hooks/config/enabled.js';
import { CONFIG_WRAPPED_ENV, DIST_DIR_ENV } from './hooks/config/env-keys.js';
import { seedFromDisk } from './hooks/disk-seed.js';
import { installFetchTrap } from './hooks/fetch-trap.js';
import { trapUseCacheRegistry } from './hooks/handlers/use-cache-registry.js';
import { invalidate } from './hooks/handlers/invalidate.js';
import { OVERLAY_TOKEN_KEY } from './protocol/stream-ports.js';
import { nextVersion } from './hooks/next-runtime.js';
import { currentRequestContext, currentWorkStore } from './hooks/request-context.js';
import { createAnalyzer } from './analysis/analyzer.js';
import { clusterConfig } from './cluster/config.js';
import { startClusterLink, type ClusterLink } from './cluster/link.js';
import { createPipeline, resolveBufferSize, type Pipeline } from './recorder/pipeline.js';
import { installRecorder } from './recorder/recorder.js';
import { setupCacheScopeOtel, type CacheScopeOtelOptions } from './otel/setup.js';
import { startStreamServer } from './stream/index.js';
import type { StreamServer } from './stream/types.js';

export type CacheScopeOptions = {
  /** Force on or off. Default: on in `next dev`, elsewhere only with CACHESCOPE_ENABLED=1. */
  enabled?: boolean;
  /**
   * First stream port (default CACHESCOPE_PORT or 7340; 0 picks a free one). When another app's stream or
   * another program holds it, the stream takes the next free port of the span, and the overlay finds it there.
   */
  port?: number;
  /** Where `next build` wrote its output, for the disk seed (default: from withCacheScope, else .next). */
  distDir?: string;
  /** Events kept for replay and the snapshot (default CACHESCOPE_BUFFER_SIZE or 5,000). */
  bufferSize?: number;
  /** Where cachescope reports what it does; default: one line per message on stdout. */
  log?: (message: string) => void;
  /**
   * Spans for Jaeger & co (docs/otel.md). Default: on when the app registered a tracer provider, or an
   * OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT / this option); `false` (or CACHESCOPE_OTEL=0): off.
   */
  otel?: CacheScopeOtelOptions | false;
};

export type CacheScopeHandle = { pipeline: Pipeline; stream: StreamServer | undefined; cluster?: ClusterLink };

const HANDLE = Symbol.for('cachescope.handle');

export async function registerCacheScope(options: CacheScopeOptions = {}): Promise<CacheScopeHandle | undefined> {
  if (process.env.NEXT_RUNTIME && process.env.NEXT_RUNTIME !== 'nodejs') return undefined;
  if (process.env.NEXT_PHASE === 'phase-production-build') return undefined;
  if (!isEnabled(process.env.NODE_ENV === 'development', options.enabled)) return undefined;
  const g = globalThis as Record<PropertyKey, unknown>;
  if (g[HANDLE]) return g[HANDLE] as CacheScopeHandle;

  const log = options.log ?? ((message: string) => process.stdout.write(`cachescope: ${message}\n`));
  const recorder = installRecorder();
  recorder.context = currentRequestContext;
  recorder.work = currentWorkStore;
  const distDir = options.distDir ?? process.env[DIST_DIR_ENV] ?? '.next';
  const app = currentAppIdentity({ distDir, mode: process.env.NODE_ENV === 'development' ? 'dev' : 'prod' });
  const cluster = clusterConfig(app);
  const pipeline = createPipeline({
    recorder,
    analysis: createAnalyzer(),
    capacity: resolveBufferSize(options.bufferSize),
    instance: cluster?.instance,
  });
  const handle: CacheScopeHandle = { pipeline, stream: undefined };
  g[HANDLE] = handle;

  const hook = (where: string, install: () => void) => {
    try {
      install();
    } catch (error) {
      recorder.fault(where, error);
      log(`${where} not installed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  hook('fetch-trap', installFetchTrap);
  hook('use-cache-registry', trapUseCacheRegistry);

  try {
    // `next dev` keeps its own output (and data cache) in <distDir>/dev since Next 16.
    const devDir = join(distDir, 'dev');
    const seedDir = process.env.NODE_ENV === 'development' && existsSync(devDir) ? devDir : distDir;
    for (const facts of await seedFromDisk({ distDir: seedDir })) recorder.record(facts);
  } catch (error) {
    recorder.fault('disk-seed', error);
  }

  // The overlay's secret for changing the stream (stream/command-guard.ts); rendered only into this app's pages.
  const token = randomBytes(18).toString('base64url');
  g[Symbol.for(OVERLAY_TOKEN_KEY)] = token;
  try {
    handle.stream = await startStreamServer({
      source: pipeline,
      app,
      port: options.port,
      token,
      cluster: () => handle.cluster?.status(),
      // Invalidating from the overlay or an agent exists in `next dev` only, never in `next start`.
      invalidate: app.mode === 'dev' && process.env.NODE_ENV === 'development' ? invalidate : undefined,
      log: (level, message) => {
        const text = message.replace(/^cachescope:\s*/, '');
        log(level === 'warn' ? `warning: ${text}` : text);
      },
    });
  } catch (error) {
    recorder.fault('stream', error);
    log(`stream server not started: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (cluster) {
    try {
      handle.cluster = startClusterLink({
        config: cluster,
        source: pipeline,
        active: () => handle.stream?.mode === 'leader',
        fault: (where, error) => recorder.fault(where, error),
        log,
      });
    } catch (error) {
      recorder.fault('cluster', error);
      log(`cluster mode not started: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  await setupCacheScopeOtel(options.otel, { recorder, source: pipeline, log });

  const production = process.env.NODE_ENV === 'production';
  const where = handle.stream?.url ? `, stream ${handle.stream.url}` : ', no stream';
  log(
    `recording Next.js ${nextVersion() ?? '?'} cache decisions of app ${app.name} (${app.dir})${where}${production ? ' (CACHESCOPE_ENABLED=1 in a production server: turn it off when done)' : ''}`,
  );
  if (!process.env[CONFIG_WRAPPED_ENV]) {
    log('next.config is not wrapped with withCacheScope(): data-cache reads, unstable_cache and revalidation calls are not observed');
  }
  return handle;
}

export async function register(): Promise<void> {
  await registerCacheScope();
}
