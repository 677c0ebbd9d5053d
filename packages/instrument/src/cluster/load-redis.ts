/**
 * The `redis` client, loaded at run time only when cluster mode is on: never bundled into the app (Next bundles
 * instrumentation.ts), never loaded without `CACHESCOPE_REDIS_URL`, never in the overlay.
 */
import { createRequire } from 'node:module';
import { appRequire } from '../hooks/next-runtime.js';

export type RedisLink = {
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): RedisLink;
  on(event: 'error' | 'ready' | 'end' | 'reconnecting', listener: (...args: unknown[]) => void): unknown;
  destroy(): void;
  readonly isReady: boolean;
};

type RedisModule = { createClient(options: object): RedisLink };

export function loadRedis(): RedisModule {
  let req: NodeJS.Require;
  try {
    req = createRequire(appRequire().resolve('@cachescope/instrument/package.json'));
  } catch {
    req = createRequire(import.meta.url);
  }
  // Through a parameter, so no bundler mistakes it for a static require to pull in.
  const load = (name: string): unknown => req(name);
  return load('redis') as RedisModule;
}

/** A client that never queues commands while down and retries the connection by itself (0.2 s up to 2 s apart). */
export function createRedisLink(url: string): RedisLink {
  return loadRedis().createClient({
    url,
    // CLIENT LIST shows which connections are cachescope's (two per instance: publish, read).
    name: 'cachescope',
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(200 * (retries + 1), 2000) },
  });
}
