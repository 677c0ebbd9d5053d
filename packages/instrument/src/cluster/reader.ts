/**
 * The other instances' events from the app's Redis Stream, into this instance's pipeline (the same analyzer
 * as local events), each labelled with its instance. One blocking `XREAD` at a time on its own connection.
 * It starts from the stream's beginning (bounded by MAXLEN), so an instance that joins late knows the entries
 * the others wrote before.
 */
import type { CacheScopeEvent } from '../protocol/events.js';
import type { RedisLink } from './load-redis.js';

export interface ReaderSink {
  /** Remote events, grouped by their process id. */
  deliver(events: CacheScopeEvent[], pid: number): void;
  seen(instance: string): void;
}

type Entries = [string, string[]][];
/** RESP2 answers `[[key, entries]]`; RESP3 (the client's default) a map, as a plain object or a Map. */
type StreamReply = [string, Entries][] | Record<string, Entries> | Map<string, Entries> | null;

function entriesOf(reply: StreamReply): Entries[] {
  if (reply === null || reply === undefined) return [];
  if (Array.isArray(reply)) return reply.map(([, entries]) => entries);
  if (reply instanceof Map) return [...reply.values()];
  return Object.values(reply);
}

const BLOCK_MS = 1000;
const RETRY_MS = 500;

function isEvent(value: unknown): value is CacheScopeEvent {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v.type === 'string' && typeof v.ts === 'number' && typeof v.pid === 'number';
}

export class Reader {
  received = 0;
  errors = 0;
  lastId = '0';
  private stopped = false;

  constructor(
    private readonly client: RedisLink,
    private readonly key: string,
    private readonly self: string,
    private readonly sink: ReaderSink,
    private readonly active: () => boolean,
  ) {}

  start(): void {
    this.loop().catch(() => {
      // never into the app: count it and read on
      this.errors++;
      if (!this.stopped) setTimeout(() => this.start(), RETRY_MS).unref();
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (!this.client.isReady || !this.active()) {
        await sleep(RETRY_MS);
        continue;
      }
      let reply: StreamReply;
      try {
        reply = (await this.client.sendCommand([
          'XREAD',
          'COUNT',
          '200',
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          this.key,
          this.lastId,
        ])) as StreamReply;
      } catch {
        if (this.stopped) return;
        this.errors++;
        await sleep(RETRY_MS);
        continue;
      }
      if (this.stopped) return;
      for (const entries of entriesOf(reply)) {
        for (const [id, fields] of entries) {
          this.lastId = id;
          try {
            this.take(fields);
          } catch {
            this.errors++;
          }
        }
      }
    }
  }

  private take(fields: string[]): void {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
    const instance = map.get('i');
    const body = map.get('e');
    if (!instance || body === undefined) return;
    this.sink.seen(instance);
    if (instance === this.self) return;
    const parsed = JSON.parse(body) as unknown;
    if (!Array.isArray(parsed)) return;
    const byPid = new Map<number, CacheScopeEvent[]>();
    for (const value of parsed) {
      if (!isEvent(value) || value.type === 'cluster-status') continue;
      const event = value as CacheScopeEvent;
      event.instance = instance;
      // Request ids are per process: two instances' requests must never fold into one.
      if (event.requestId !== undefined) event.requestId = `${instance}#${event.requestId}`;
      const list = byPid.get(event.pid) ?? [];
      list.push(event);
      byPid.set(event.pid, list);
    }
    for (const [pid, events] of byPid) {
      this.received += events.length;
      this.sink.deliver(events, pid);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
