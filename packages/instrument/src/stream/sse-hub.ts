/**
 * The SSE clients of a leader: batching (at most one message per `batchMs`), replay from the source's ring
 * buffer, gaps, heartbeats, and the slow-consumer bound.
 *
 * Clients pull: each has a cursor (the last id it was sent) and every flush reads `source.since(cursor)`.
 * Nothing is queued per client beyond what its socket already buffers, so a client that stops reading costs
 * at most `maxClientBufferBytes` (+ one frame): past that, frames are not written (counted as dropped) and the
 * client catches up from the ring buffer when its socket drains, with a `gap` for whatever was evicted meanwhile.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamHealth } from '../protocol/events.js';
import type { Counters } from './counters.js';
import { pull, latestId } from './cursor.js';
import { FindingsFeed } from './findings-feed.js';
import { HEARTBEAT, batchFrames, clearFrame, findingsFrame, gapFrame, helloFrame, type Frame } from './sse.js';
import type { StreamEvent, StreamSource } from './types.js';

export interface HubOptions {
  batchMs: number;
  heartbeatMs: number;
  maxClientBufferBytes: number;
  slowClientTimeoutMs: number;
  maxClients: number;
  unref: boolean;
  hello: () => StreamHealth;
}

interface Client {
  res: ServerResponse;
  /** Last event id written to this client. */
  cursor: number;
  /** After a clear: the next read starts a new baseline, holes before it are not gaps. */
  resync: boolean;
  /** Since when the socket is over its cap (waiting for 'drain'); null when flowing. */
  congestedSince: number | null;
  /** Frames were dropped for this client since it last caught up. */
  droppedBacklog: boolean;
  closed: boolean;
}

const RETRY_MS = 1000;
/** Below this the socket's own high-water mark (16 KiB) may never signal 'drain'. */
const MIN_CLIENT_BUFFER = 32 * 1024;

export class SseHub<E extends StreamEvent> {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private readonly cap: number;
  private closed = false;
  private readonly findings: FindingsFeed;

  constructor(
    private readonly source: StreamSource<E, unknown>,
    private readonly opts: HubOptions,
    private readonly counters: Counters,
  ) {
    this.cap = Math.max(MIN_CLIENT_BUFFER, opts.maxClientBufferBytes);
    this.findings = new FindingsFeed(source);
  }

  get size(): number {
    return this.clients.size;
  }

  pendingBytes(): number[] {
    return [...this.clients].map((c) => c.res.writableLength);
  }

  /**
   * Take over a `GET /events` response. `lastEventId` null: live from now; a number: replay what came after it.
   * Returns false (and answers 503) when the client limit is reached.
   */
  add(req: IncomingMessage, res: ServerResponse, lastEventId: number | null): boolean {
    if (this.closed || this.clients.size >= this.opts.maxClients) {
      this.counters.refused++;
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' });
      res.end('too many cachescope stream clients\n');
      return false;
    }
    const client: Client = {
      res,
      cursor: lastEventId ?? latestId(this.source),
      resync: false,
      congestedSince: null,
      droppedBacklog: false,
      closed: false,
    };
    this.clients.add(client);
    this.counters.clientsTotal++;
    const drop = () => {
      client.closed = true;
      this.clients.delete(client);
      if (this.clients.size === 0) this.stopHeartbeat();
    };
    res.on('close', drop);
    res.on('error', drop);
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(helloFrame({ ...this.opts.hello(), lastId: latestId(this.source) }, RETRY_MS));
    if (lastEventId !== null) this.pump(client);
    this.sendAllFindings(client);
    this.startHeartbeat();
    return true;
  }

  /** New events exist: flush now if the last flush is `batchMs` old, else when it will be. */
  wake(): void {
    if (this.closed || this.timer !== null || this.clients.size === 0) return;
    const delay = Math.max(0, this.lastFlushAt + this.opts.batchMs - Date.now());
    this.timer = setTimeout(() => this.flush(), delay);
    if (this.opts.unref) this.timer.unref();
  }

  /** Send every flowing client what it has not seen. Clients at the same cursor share the serialised frames. */
  flush(): void {
    this.timer = null;
    this.lastFlushAt = Date.now();
    const groups = new Map<number, Client[]>();
    for (const client of this.clients) {
      if (this.checkSlow(client)) continue;
      if (client.congestedSince !== null) {
        // this flush's frame is not written: the client catches up from the ring buffer once it drains
        this.counters.droppedFrames++;
        client.droppedBacklog = true;
        continue;
      }
      const group = groups.get(client.cursor);
      if (group) group.push(client);
      else groups.set(client.cursor, [client]);
    }
    for (const [cursor, group] of groups) {
      try {
        const { events, missed, cursor: next } = pull(this.source, cursor);
        const frames = batchFrames(events);
        for (const client of group) this.deliver(client, frames, missed, next);
      } catch {
        this.counters.errors++;
      }
    }
    this.publishFindings();
  }

  /** Tell every client the store was cleared; their next read starts a new baseline. */
  cleared(): void {
    this.findings.reset();
    for (const client of this.clients) {
      client.resync = true;
      client.cursor = 0;
      this.write(client, clearFrame());
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopHeartbeat();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private publishFindings(): void {
    if (!this.findings.enabled) return;
    try {
      const changed = this.findings.changed();
      if (changed.length === 0) return;
      const frame = findingsFrame(changed);
      for (const client of this.clients) if (client.congestedSince === null) this.write(client, frame);
    } catch {
      this.counters.errors++;
    }
  }

  private sendAllFindings(client: Client): void {
    if (!this.findings.enabled) return;
    try {
      const all = this.findings.all();
      if (all.length > 0) this.write(client, findingsFrame(all));
    } catch {
      this.counters.errors++;
    }
  }

  /** Catch one client up (connect replay, after a drain). */
  private pump(client: Client): void {
    if (client.closed || client.congestedSince !== null) return;
    try {
      const { events, missed, cursor } = pull(this.source, client.cursor);
      this.deliver(client, batchFrames(events), missed, cursor);
    } catch {
      this.counters.errors++;
    }
  }

  private deliver(client: Client, frames: Frame[], missed: { from: number; to: number; count: number } | null, cursorAfter: number): void {
    if (client.closed) return;
    if (missed && !client.resync) {
      const reason = client.droppedBacklog ? 'slow-client' : 'evicted';
      this.write(client, gapFrame({ missed: missed.count, from: missed.from, to: missed.to, reason }));
      this.counters.gapsSent++;
      this.counters.missedEvents += missed.count;
    }
    client.resync = false;
    for (let i = 0; i < frames.length; i++) {
      if (client.res.writableLength >= this.cap) {
        this.counters.droppedFrames += frames.length - i;
        client.droppedBacklog = true;
        this.congest(client);
        return;
      }
      const frame = frames[i]!;
      this.write(client, frame.text);
      client.cursor = frame.lastId;
      this.counters.framesSent++;
      this.counters.eventsSent += frame.events;
    }
    client.cursor = Math.max(client.cursor, cursorAfter);
    client.droppedBacklog = false;
  }

  private write(client: Client, text: string): void {
    if (client.closed) return;
    client.res.write(text);
    const pending = client.res.writableLength;
    if (pending > this.counters.maxClientPendingBytes) this.counters.maxClientPendingBytes = pending;
  }

  private congest(client: Client): void {
    if (client.congestedSince !== null) return;
    client.congestedSince = Date.now();
    client.res.once('drain', () => {
      client.congestedSince = null;
      this.pump(client);
    });
  }

  /** Disconnect a client whose socket has not drained for too long. True when it was dropped. */
  private checkSlow(client: Client): boolean {
    if (client.congestedSince === null) return false;
    if (Date.now() - client.congestedSince < this.opts.slowClientTimeoutMs) return false;
    this.counters.slowClientsDisconnected++;
    client.closed = true;
    this.clients.delete(client);
    client.res.destroy();
    return true;
  }

  private startHeartbeat(): void {
    if (this.heartbeat !== null) return;
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) {
        try {
          if (!this.checkSlow(client) && client.congestedSince === null) this.write(client, HEARTBEAT);
        } catch {
          this.counters.errors++;
        }
      }
    }, this.opts.heartbeatMs);
    if (this.opts.unref) this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
