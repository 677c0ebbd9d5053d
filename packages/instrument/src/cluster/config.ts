/**
 * Cluster mode settings, all from the environment; without `CACHESCOPE_REDIS_URL` cluster mode is off.
 * The stream key is per app: replicas of one app share the package name and the mode, not the directory
 * (two machines, two copies of the build), so the key is built from those, under a configurable prefix.
 */
import type { AppIdentity } from '../protocol/events.js';
import { instanceLabel } from './instance.js';

export interface ClusterConfig {
  url: string;
  /** The Redis Stream all instances of the app write to and read from. */
  key: string;
  instance: string;
  /** `XADD … MAXLEN ~ maxLen`: stream entries (one per published batch) Redis keeps. */
  maxLen: number;
  /** Events waiting to be published; beyond it new ones are dropped and counted. */
  maxQueue: number;
  /** Events per stream entry. */
  batchEvents: number;
  batchMs: number;
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function clusterConfig(app: AppIdentity, env: NodeJS.ProcessEnv = process.env): ClusterConfig | undefined {
  const url = env.CACHESCOPE_REDIS_URL?.trim();
  if (!url) return undefined;
  const prefix = env.CACHESCOPE_REDIS_PREFIX?.trim() || 'cachescope';
  return {
    url,
    key: `${prefix}:${app.name}:${app.mode}:events`,
    instance: instanceLabel(env),
    maxLen: positiveInt(env.CACHESCOPE_REDIS_MAXLEN, 2000),
    maxQueue: positiveInt(env.CACHESCOPE_REDIS_QUEUE, 10_000),
    batchEvents: 500,
    batchMs: 50,
  };
}
