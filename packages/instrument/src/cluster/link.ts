/**
 * Cluster mode: this instance's pipeline joined to the app's Redis Stream. Publishes what this instance
 * recorded (its own processes' events, the redacted events and nothing more), feeds what the other instances
 * recorded into the same analyzer, and reports the link's state as a `cluster-status` event (the overlay's
 * banner) and in `/health` / hello. Redis down at start or lost later: this instance goes on with its own
 * truth, and the client reconnects by itself. Nothing here throws into the app.
 */
import { redactText } from '../analysis/redact.js';
import type { CacheScopeEvent, ClusterStatus } from '../protocol/events.js';
import type { StreamSource } from '../stream/types.js';
import type { ClusterConfig } from './config.js';
import { createRedisLink, type RedisLink } from './load-redis.js';
import { Publisher } from './publisher.js';
import { Reader } from './reader.js';

export interface ClusterLinkOptions {
  config: ClusterConfig;
  source: StreamSource<CacheScopeEvent, unknown>;
  /** Only the process that serves the app's stream links it to the fleet (the others forward to it). */
  active?: () => boolean;
  fault?: (where: string, error: unknown) => void;
  log?: (message: string) => void;
}

export interface ClusterLink {
  status(): ClusterStatus;
  close(): Promise<void>;
}

/** `redis://user:secret@host:6379` → `redis://host:6379`: no credentials in events, logs or the overlay. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'redis';
  }
}

export function startClusterLink(options: ClusterLinkOptions): ClusterLink {
  const { config, source } = options;
  const active = options.active ?? (() => true);
  const fault = (where: string, error: unknown) => {
    try {
      options.fault?.(where, error);
    } catch {
      /* never into the app */
    }
  };
  const instances = new Set<string>([config.instance]);
  let state: ClusterStatus['state'] = 'connecting';
  let since = Date.now();
  let reason: string | undefined;
  let receiving = false;
  let closed = false;

  const writer: RedisLink = createRedisLink(config.url);
  const blocking: RedisLink = writer.duplicate();
  const publisher = new Publisher(writer, config);
  const reader = new Reader(
    blocking,
    config.key,
    config.instance,
    {
      deliver(events, pid) {
        receiving = true;
        try {
          source.ingest?.(events, { pid });
        } finally {
          receiving = false;
        }
      },
      seen: (instance) => instances.add(instance),
    },
    active,
  );

  function status(): ClusterStatus {
    const s: ClusterStatus = {
      state,
      self: config.instance,
      instances: [...instances].sort(),
      published: publisher.published,
      received: reader.received,
      dropped: publisher.dropped,
      since,
    };
    if (reason !== undefined) s.reason = reason;
    return s;
  }

  function announce(): void {
    try {
      source.ingest?.([{ type: 'cluster-status', ts: Date.now(), pid: process.pid, id: 0, status: status() } as CacheScopeEvent], {
        pid: process.pid,
      });
    } catch (error) {
      fault('cluster.status', error);
    }
  }

  let failed = false;
  function update(): void {
    if (closed) return;
    const next: ClusterStatus['state'] = writer.isReady && blocking.isReady ? 'connected' : failed ? 'lost' : 'connecting';
    if (next === state) return;
    state = next;
    since = Date.now();
    if (next === 'connected') reason = undefined;
    options.log?.(
      next === 'connected'
        ? `cluster view on: events of every instance of the app through ${redactRedisUrl(config.url)} (stream ${config.key}, this instance ${config.instance})`
        : `warning: cluster view lost (${reason ?? 'Redis unreachable'}): showing this instance only; reconnecting`,
    );
    announce();
  }

  for (const client of [writer, blocking]) {
    client.on('error', (error) => {
      // Down at start counts as lost too: the banner says so instead of "connecting" for ever.
      failed = true;
      reason = redactText(error instanceof Error ? error.message : String(error)).slice(0, 200) || 'Redis error';
      queueMicrotask(update);
    });
    for (const event of ['ready', 'end', 'reconnecting'] as const) client.on(event, () => queueMicrotask(update));
    client.connect().catch((error: unknown) => fault('cluster.connect', error));
  }

  const unsubscribe = source.subscribe((batch) => {
    // What the reader feeds in is another instance's; everything else (this process, its forwarders) is ours.
    if (receiving || !active()) return;
    const own = batch.filter((event) => event.type !== 'cluster-status');
    if (own.length) publisher.enqueue(own);
  });
  reader.start();
  announce();

  return {
    status,
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      publisher.stop();
      reader.stop();
      for (const client of [blocking, writer]) {
        try {
          client.destroy();
        } catch (error) {
          fault('cluster.close', error);
        }
      }
    },
  };
}
