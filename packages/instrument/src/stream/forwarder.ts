/**
 * Forwarder mode: another process of the app owns the port, so this one POSTs its events to the leader's
 * `/ingest` at the same cadence as the SSE batches. Like the SSE clients it reads through a cursor, so while the
 * leader is slow or away nothing queues here beyond the source's own ring buffer; what the buffer evicted in the
 * meantime is counted in `forwardMissed`.
 */
import { Agent, request } from 'node:http';
import type { Counters } from './counters.js';
import { pull } from './cursor.js';
import { serializeEvent } from './sse.js';
import type { StreamEvent, StreamSource } from './types.js';

export interface ForwarderOptions {
  host: string;
  port: number;
  /** This process's app id: the leader refuses (409) events of another app. */
  app?: string;
  batchMs: number;
  unref: boolean;
  /** Events per POST. */
  maxEventsPerPost?: number;
  /** Called when the leader stops answering (connection refused / reset) or serves another app: the caller re-elects. */
  onLeaderLost: () => void;
}

const RETRY_MS = 1000;
const POST_TIMEOUT_MS = 5000;

export class Forwarder<E extends StreamEvent> {
  /** Last id of this process's source that reached the leader. */
  cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private again = false;
  private lastTickAt = 0;
  private stopped = false;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly source: StreamSource<E, unknown>,
    private readonly opts: ForwarderOptions,
    private readonly counters: Counters,
  ) {}

  /** New local events: forward them within `batchMs`. */
  wake(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.timer !== null) return;
    this.schedule(Math.max(0, this.lastTickAt + this.opts.batchMs - Date.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.agent.destroy();
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, delay);
    if (this.opts.unref) this.timer.unref();
  }

  private tick(): void {
    if (this.stopped) return;
    this.lastTickAt = Date.now();
    let events: readonly E[];
    try {
      const read = pull(this.source, this.cursor);
      if (read.missed) this.counters.forwardMissed += read.missed.count;
      events = read.events;
      if (events.length === 0) {
        this.cursor = read.cursor;
        return;
      }
    } catch {
      this.counters.errors++;
      return;
    }
    const max = this.opts.maxEventsPerPost ?? 2000;
    const chunk = events.length > max ? events.slice(0, max) : events;
    const more = events.length > max;
    const app = this.opts.app === undefined ? '' : `"app":${JSON.stringify(this.opts.app)},`;
    const body = `{"pid":${process.pid},${app}"events":[${chunk.map(serializeEvent).join(',')}]}`;
    this.inFlight = true;
    this.post(body, (outcome) => {
      this.inFlight = false;
      if (this.stopped) return;
      if (outcome === 'ok') {
        this.cursor = chunk[chunk.length - 1]!.id;
        this.counters.forwardedEvents += chunk.length;
        if (more || this.again) {
          this.again = false;
          this.schedule(more ? 0 : Math.max(0, this.lastTickAt + this.opts.batchMs - Date.now()));
        }
        return;
      }
      this.counters.forwardErrors++;
      if (outcome === 'gone') {
        this.opts.onLeaderLost();
        return;
      }
      this.again = false;
      this.schedule(RETRY_MS);
    });
  }

  private post(body: string, done: (outcome: 'ok' | 'retry' | 'gone') => void): void {
    let settled = false;
    const finish = (outcome: 'ok' | 'retry' | 'gone') => {
      if (settled) return;
      settled = true;
      done(outcome);
    };
    try {
      const req = request(
        {
          host: this.opts.host,
          port: this.opts.port,
          path: '/ingest',
          method: 'POST',
          agent: this.agent,
          timeout: POST_TIMEOUT_MS,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          // 409: the port now serves another app (ours restarted elsewhere): elect again
          res.on('end', () => finish(res.statusCode === 200 ? 'ok' : res.statusCode === 409 ? 'gone' : 'retry'));
          res.on('error', () => finish('retry'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        finish(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? 'gone' : 'retry');
      });
      req.end(body);
    } catch {
      finish('retry');
    }
  }
}
