/**
 * `startStreamServer`: one stream per app, whichever process of the app gets there first.
 *
 * The stream may sit on any port of `streamPorts(CACHESCOPE_PORT or 7340)`:
 * - a port there already serves this app's stream (`GET /health` names the same app): forward this process's
 *   events to that leader;
 * - else take the first free port of the span and serve (leader). Ports held by another app's stream or by
 *   another program are passed over, and the log line says by whom;
 * - no port left: one warning through `log`, and no stream. Never throws.
 * A forwarder whose leader goes away (or turns out to serve another app) runs the same election again.
 */
import { createServer, type Server } from 'node:http';
import { SCHEMA_VERSION } from '../protocol/events.js';
import type { AppIdentity, CacheScopeEvent, Snapshot, StreamHealth } from '../protocol/events.js';
import { DEFAULT_STREAM_PORT, resolvePort, streamPorts } from '../protocol/stream-ports.js';
import { createCounters, type Counters } from './counters.js';
import { Forwarder } from './forwarder.js';
import { probeHealth } from './probe.js';
import { createRequestHandler } from './routes.js';
import { isLoopbackBindHost } from './security.js';
import { SseHub } from './sse-hub.js';
import {
  DEFAULT_BATCH_MS,
  type StreamEvent,
  type StreamMode,
  type StreamServer,
  type StreamServerOptions,
  type StreamStats,
} from './types.js';
import { packageVersion } from './version.js';

const RELOCATE_ATTEMPTS = 5;
/** A port that does not answer `/health` this fast is not a stream of ours (a closed port refuses at once). */
const PROBE_MS = 500;
const RELOCATE_DELAY_MS = 500;

function hostUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Both streams belong to one app (a stream started without an app only matches another such). */
export function sameApp(a: AppIdentity | undefined, b: AppIdentity | undefined): boolean {
  return a?.id === b?.id;
}

function holderText(port: number, health: StreamHealth | null): string {
  if (!health) return `${port}: another program`;
  return `${port}: ${health.app ? `app ${health.app.name} (${health.app.dir}, ${health.app.mode})` : 'a stream of no app'}, pid ${health.pid}`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

class StreamController<E extends StreamEvent, S> implements StreamServer {
  mode: StreamMode = 'disabled';
  port: number | null = null;
  private readonly counters: Counters = createCounters();
  private readonly host: string;
  private readonly wantedPort: number;
  private readonly batchMs: number;
  private readonly unref: boolean;
  private readonly version: string;
  private hub: SseHub<E> | null = null;
  private server: Server | null = null;
  private forwarder: Forwarder<E> | null = null;
  private leaderPid: number | null = null;
  private unsubscribe: (() => void) | null = null;
  private relocating = false;
  private readonly startedAt = Date.now();

  constructor(private readonly options: StreamServerOptions<E, S>) {
    const host = options.host ?? '127.0.0.1';
    if (isLoopbackBindHost(host)) this.host = host === 'localhost' ? '127.0.0.1' : host;
    else {
      this.host = '127.0.0.1';
      this.log('warn', `cachescope: refusing to bind the stream to ${host}; it listens on 127.0.0.1 only`);
    }
    const port = resolvePort(options.port);
    if (port === null) {
      this.log('warn', `cachescope: CACHESCOPE_PORT / port is not a valid port; using ${DEFAULT_STREAM_PORT}`);
    }
    this.wantedPort = port ?? DEFAULT_STREAM_PORT;
    this.batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    this.unref = options.unref ?? true;
    this.version = options.version ?? packageVersion();
  }

  get url(): string | null {
    return this.port === null ? null : hostUrl(this.host, this.port);
  }

  async start(): Promise<void> {
    try {
      this.unsubscribe = this.options.source.subscribe(() => this.onEvents());
    } catch {
      this.counters.errors++;
    }
    await this.elect(1);
  }

  stats(): StreamStats {
    const pending = this.hub?.pendingBytes() ?? [];
    return {
      mode: this.mode,
      port: this.port,
      clients: this.hub?.size ?? 0,
      ...this.counters,
      clientPendingBytes: pending,
    };
  }

  async close(): Promise<void> {
    if (this.mode === 'closed') return;
    this.mode = 'closed';
    try {
      this.unsubscribe?.();
    } catch {
      this.counters.errors++;
    }
    this.forwarder?.stop();
    this.forwarder = null;
    await this.stopListening();
  }

  private onEvents(): void {
    try {
      if (this.mode === 'leader') this.hub?.wake();
      else if (this.mode === 'forwarder') this.forwarder?.wake();
    } catch {
      this.counters.errors++;
    }
  }

  /** Become leader, forwarder, or (after `attempts` failed tries) disabled. */
  private async elect(attempts: number): Promise<void> {
    const ports = this.wantedPort === 0 ? [0] : streamPorts(this.wantedPort);
    for (let attempt = 1; attempt <= attempts && !this.isClosed(); attempt++) {
      // Whoever holds each port now; this app's stream, if one is up, wins over any free port.
      const held = new Map<number, StreamHealth | null>();
      const probes = await Promise.all(
        ports.filter((p) => p !== 0).map(async (p) => [p, await probeHealth(this.host, p, PROBE_MS)] as const),
      );
      if (this.isClosed()) return;
      for (const [port, health] of probes) {
        if (health && sameApp(health.app, this.options.app)) {
          this.becomeForwarder(port, health);
          return;
        }
        if (health) held.set(port, health);
      }
      let lastError: Error | null = null;
      for (const port of ports) {
        if (held.has(port)) continue;
        const outcome = await this.tryLead(port, held);
        if (outcome === 'leader' || this.isClosed()) return;
        if (outcome !== 'in-use') {
          lastError = outcome;
          break;
        }
        // Taken since the probe: by this app's stream (a process that started at the same time) or by someone else.
        const health = await probeHealth(this.host, port, PROBE_MS);
        if (this.isClosed()) return;
        if (health && sameApp(health.app, this.options.app)) {
          this.becomeForwarder(port, health);
          return;
        }
        held.set(port, health);
      }
      if (attempt === attempts) {
        this.disable(
          lastError
            ? `cachescope: could not open the event stream on ${this.host} (${lastError.message}); it is off in this process.`
            : `cachescope: ports ${ports[0]}–${ports[ports.length - 1]} are all taken (${ports.map((p) => holderText(p, held.get(p) ?? null)).join('; ')}), ` +
                `so the cachescope event stream is off in this process. Set CACHESCOPE_PORT to a free port to get it back.`,
        );
        return;
      }
      await delay(RELOCATE_DELAY_MS);
    }
  }

  private async tryLead(wanted: number, held: ReadonlyMap<number, StreamHealth | null>): Promise<'leader' | 'in-use' | Error> {
    const counters = this.counters;
    const hub = new SseHub<E>(
      this.options.source,
      {
        batchMs: this.batchMs,
        heartbeatMs: this.options.heartbeatMs ?? 15_000,
        maxClientBufferBytes: this.options.maxClientBufferBytes ?? 1024 * 1024,
        slowClientTimeoutMs: this.options.slowClientTimeoutMs ?? 60_000,
        maxClients: this.options.maxClients ?? 64,
        unref: this.unref,
        hello: () => ({ ...this.health() }),
      },
      counters,
    );
    const server = createServer(
      createRequestHandler<E>({
        source: this.options.source,
        hub,
        counters,
        health: () => this.health(),
        app: this.options.app,
        maxIngestBytes: this.options.maxIngestBytes ?? 8 * 1024 * 1024,
        token: this.options.token,
        invalidate: this.options.invalidate,
      }),
    );
    server.on('clientError', (_error, socket) => {
      counters.errors++;
      socket.destroy();
    });
    try {
      const port = await listen(server, this.host, wanted);
      server.on('error', () => counters.errors++);
      if (this.unref) server.unref();
      if (this.isClosed()) {
        server.close();
        return 'leader';
      }
      this.forwarder?.stop();
      this.forwarder = null;
      this.server = server;
      this.hub = hub;
      this.port = port;
      this.mode = 'leader';
      const app = this.options.app;
      const passed = [...held.keys()].filter((p) => p < port);
      this.log(
        'info',
        `cachescope: event stream${app ? ` of app ${app.name} (${app.mode})` : ''} on ${hostUrl(this.host, port)} (GET /events, /snapshot; POST /clear)` +
          (passed.length ? `; passed over ${passed.map((p) => holderText(p, held.get(p) ?? null)).join('; ')}` : ''),
      );
      hub.wake();
      return 'leader';
    } catch (error) {
      hub.close();
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'EADDRINUSE' ? 'in-use' : error instanceof Error ? error : new Error(String(error));
    }
  }

  private becomeForwarder(port: number, health: StreamHealth): void {
    const previous = this.forwarder;
    const forwarder = new Forwarder<E>(
      this.options.source,
      {
        host: this.host,
        port,
        app: this.options.app?.id,
        batchMs: this.batchMs,
        unref: this.unref,
        onLeaderLost: () => void this.relocate(),
      },
      this.counters,
    );
    // Same leader as before (a transient error): keep the cursor, so nothing is sent twice.
    if (previous && this.leaderPid === health.pid && this.port === port) forwarder.cursor = previous.cursor;
    previous?.stop();
    this.forwarder = forwarder;
    this.leaderPid = health.pid;
    this.port = port;
    this.mode = 'forwarder';
    const app = this.options.app;
    this.log(
      'info',
      `cachescope: process ${health.pid} (stream started ${ago(Date.now() - health.startedAt)}) already serves the event stream` +
        `${app ? ` of app ${app.name} (${app.mode})` : ''} on ${hostUrl(this.host, port)}; forwarding this process's events (pid ${process.pid}) to it. ` +
        `If that process is a server of this app that did not exit, stop it (kill ${health.pid}) and this process takes the stream over.`,
    );
    forwarder.wake();
  }

  /** The leader went away: take the port, or find the new leader. */
  private async relocate(): Promise<void> {
    if (this.relocating || this.mode !== 'forwarder') return;
    this.relocating = true;
    try {
      await this.elect(RELOCATE_ATTEMPTS);
    } catch {
      this.counters.errors++;
    } finally {
      this.relocating = false;
    }
  }

  private disable(message: string): void {
    this.forwarder?.stop();
    this.forwarder = null;
    this.port = null;
    this.mode = 'disabled';
    this.log('warn', message);
  }

  /** A method, so TypeScript does not narrow `mode` across awaits. */
  private isClosed(): boolean {
    return this.mode === 'closed';
  }

  private health(): StreamHealth {
    const health: StreamHealth = {
      cachescope: true,
      version: this.version,
      pid: process.pid,
      schemaVersion: SCHEMA_VERSION,
      startedAt: this.startedAt,
    };
    if (this.options.app) health.app = this.options.app;
    try {
      const cluster = this.options.cluster?.();
      if (cluster) health.cluster = cluster;
    } catch {
      this.counters.errors++;
    }
    return health;
  }

  private async stopListening(): Promise<void> {
    const server = this.server;
    this.hub?.close();
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private log(level: 'info' | 'warn', message: string): void {
    try {
      this.options.log?.(level, message);
    } catch {
      /* a failing logger must not break the host */
    }
  }
}

/**
 * Start (or join) the cachescope event stream for this process. Resolves once the mode is settled;
 * never rejects: problems are reported through `log` and counted in `stats().errors`.
 */
export async function startStreamServer<E extends StreamEvent = CacheScopeEvent, S = Snapshot>(
  options: StreamServerOptions<E, S>,
): Promise<StreamServer> {
  const controller = new StreamController<E, S>(options);
  try {
    await controller.start();
  } catch {
    // start() already catches; this is the last line of defence for the host process
  }
  return controller;
}
