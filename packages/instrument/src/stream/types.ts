/**
 * The contract between the stream server and whatever holds the events (the recorder's ring buffer).
 * Types only.
 */
import type { AppIdentity, CacheScopeEvent, ClusterStatus, Snapshot } from '../protocol/events.js';
import type { Invalidator } from './invalidate-route.js';

/** What the stream needs from an event: a stream-wide id, a type and a timestamp. */
export interface StreamEvent {
  id: number;
  type: string;
  ts: number;
}

/** What the stream needs from a finding (the analysis `Finding` fits): a stable id, and what changes when it recurs. */
export interface FindingLike {
  id: string;
  count?: number;
  lastTs?: number;
}

/**
 * The event store the stream server reads. The recorder implements it.
 *
 * Ids: assigned by the source, integers, strictly increasing **by 1** (a hole between two consecutive ids
 * is reported to clients as missed events). `clear()` may keep counting or restart from 1; both work.
 */
export interface SnapshotOptions {
  /** Include the retained events (default true). */
  events?: boolean;
}

export interface StreamSource<E extends StreamEvent = CacheScopeEvent, S = Snapshot> {
  /** Retained events whose id is greater than `lastId`, oldest first. Must not throw for unknown ids. */
  since(lastId: number): readonly E[];
  /**
   * Id of the newest event ever assigned (0 before the first). Optional but recommended: it makes a fresh
   * client start in O(1), and lets the stream notice ids restarting (a clear or a restart) and replay.
   * Without it the server derives it from `since(0)`.
   */
  lastId?(): number;
  /** The whole state; `{ events: false }`: everything but the retained events (what a live client refreshes). */
  snapshot(options?: SnapshotOptions): S;
  clear(): void;
  /**
   * Optional: stop (false) or restart (true) recording in the process that owns this source; while
   * stopped its hooks pass every call straight through. Served as `POST /pause` and `POST /resume`.
   */
  setRecording?(on: boolean): void;
  /**
   * Called after events were appended (with those events). The server only uses it as a wake-up and reads
   * through `since()`, so the batch may be coalesced or empty. Returns an unsubscribe function.
   */
  subscribe(onEvents: (batch: readonly E[]) => void): () => void;
  /**
   * Optional: the current findings. When present, clients get an `event: findings` message with the findings
   * that are new or changed after each batch (and all of them on connect), so `cachescope tail` and the overlay
   * see findings live. Called at most once per batch interval; cache the analysis if it is expensive.
   */
  findings?(): readonly FindingLike[];
  /**
   * Leader only: merge events forwarded by another process of the same app (`POST /ingest`).
   * The source re-numbers them into its own id sequence (their incoming `id` is the sender's) and then
   * notifies subscribers like any other append. Without it, `/ingest` answers 501.
   */
  ingest?(events: readonly E[], origin: { pid: number }): void;
}

export type LogLevel = 'info' | 'warn';
export type StreamLog = (level: LogLevel, message: string) => void;

export const DEFAULT_BATCH_MS = 25;

export interface StreamServerOptions<E extends StreamEvent = CacheScopeEvent, S = Snapshot> {
  source: StreamSource<E, S>;
  /**
   * The app this process belongs to: processes of one app share a stream, another app's stream is passed over
   * (and its forwarded events refused). Shown by `/health`, the `hello` message and `/snapshot`.
   */
  app?: AppIdentity;
  /** The first port to try (`streamPorts`): default `CACHESCOPE_PORT` or 7340. `0` picks a free port (tests). */
  port?: number;
  /** Loopback only: `127.0.0.1` (default), `::1` or `localhost`. Anything else is refused. */
  host?: string;
  /** Where the server reports what it did (leader / forwarder / disabled). Nothing is printed without it. */
  log?: StreamLog;
  /**
   * Batch window: the minimum interval between two batch messages to one client (and between two
   * forwards), so the longest an event waits for its batch. Default 25 ms: within a 60 Hz frame or two,
   * and at most 40 messages a second per client however fast events come.
   */
  batchMs?: number;
  /** SSE comment heartbeat. Default 15 000 ms. */
  heartbeatMs?: number;
  /** Bytes a client's socket may hold unsent before its backlog is dropped. Default 1 MiB. */
  maxClientBufferBytes?: number;
  /** A client whose socket has not drained for this long is disconnected. Default 60 000 ms. */
  slowClientTimeoutMs?: number;
  /** Concurrent SSE clients; more get 503. Default 64. */
  maxClients?: number;
  /** Largest accepted `/ingest` body. Default 8 MiB. */
  maxIngestBytes?: number;
  /** Package version reported by `/health`. Default: read from package.json. */
  version?: string;
  /**
   * The secret a web page must send (`X-Cachescope-Token`) to clear, pause or invalidate; the app's server
   * renders it into its own pages for the overlay (command-guard.ts). Without it only local processes and
   * the stream's own page may.
   */
  token?: string;
  /** Cluster mode: the link to the other instances, reported by `/health` and the hello. */
  cluster?: () => ClusterStatus | undefined;
  /** Dev only: serve `POST /invalidate` with this (the hooks' invalidate). */
  invalidate?: Invalidator;
  /** `unref()` the listening socket and timers so they never keep the host process alive. Default true. */
  unref?: boolean;
}

export type StreamMode = 'leader' | 'forwarder' | 'disabled' | 'closed';

export interface StreamStats {
  mode: StreamMode;
  /** Port in use (the leader's port for a forwarder), or null when disabled. */
  port: number | null;
  /** Connected SSE clients now. */
  clients: number;
  /** SSE clients accepted since start. */
  clientsTotal: number;
  /** Batch messages written to clients. */
  framesSent: number;
  /** Events written to clients (counted once per client). */
  eventsSent: number;
  /**
   * Batch messages not written to a client because its socket held more than `maxClientBufferBytes` unsent
   * (its backlog is dropped; once the socket drains it catches up from the ring buffer, with a `gap` for evictions).
   */
  droppedFrames: number;
  /** Events reported to clients as missed in `gap` messages. */
  missedEvents: number;
  gapsSent: number;
  /** Clients disconnected because their socket never drained. */
  slowClientsDisconnected: number;
  /** Requests refused: bad Host / Origin, non-loopback peer, too many clients. */
  refused: number;
  /** Errors caught inside the server (handlers answer 500; nothing reaches the host process). */
  errors: number;
  /** Leader: events merged from forwarders. */
  ingestedEvents: number;
  /** Forwarder: events posted to the leader. */
  forwardedEvents: number;
  forwardErrors: number;
  /** Forwarder: events that left the local buffer before they could be forwarded. */
  forwardMissed: number;
  /** Largest unsent byte count seen on any one client socket. */
  maxClientPendingBytes: number;
  /** Unsent bytes per connected client now. */
  clientPendingBytes: number[];
}

export interface StreamServer {
  readonly mode: StreamMode;
  /** Port listened on (leader) or forwarded to (forwarder); null when disabled. */
  readonly port: number | null;
  /** `http://127.0.0.1:<port>` of the stream this process feeds, or null when disabled. */
  readonly url: string | null;
  stats(): StreamStats;
  /** Stop listening / forwarding and end every client. Idempotent. */
  close(): Promise<void>;
}
