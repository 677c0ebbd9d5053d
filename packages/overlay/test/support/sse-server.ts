/**
 * A tiny stand-in for the instrument's stream server (same wire format), on a real local port:
 * `GET /events` (hello, batch with `id:`, gap, clear; replay after `Last-Event-ID`), `GET /snapshot`, `POST /clear`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Analysis, AppIdentity, CacheScopeEvent } from '../../src/store/types.js';

export interface EventsRequest {
  lastEventId: string | null;
  at: number;
}

export class TestStreamServer {
  url = '';
  pid = 1000;
  /** The app this stream serves (in `/health` and `hello`); none by default. */
  app: AppIdentity | undefined = undefined;
  events: CacheScopeEvent[] = [];
  analysis: Analysis = { tags: [], revalidations: [], findings: [] };
  /** When set, `/snapshot` only includes events up to this id (so missed events can only come from a replay). */
  snapshotEventsUpTo: number | null = null;
  /** Replay this many already-seen events again on reconnect (to test dedupe). */
  replayOverlap = 0;
  eventsRequests: EventsRequest[] = [];
  snapshotRequests = 0;
  /** Per `/snapshot` request: whether it asked for the events (`?events=0` asks for the analysis only). */
  snapshotWithEvents: boolean[] = [];
  clearRequests = 0;
  preflights = 0;
  private clients = new Set<ServerResponse>();
  private server = createServer((req, res) => this.handle(req, res));

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get lastId(): number {
    return this.events.length ? this.events[this.events.length - 1]!.id : 0;
  }

  /** Retain events and send them to every client as one batch message. */
  push(events: CacheScopeEvent[]): void {
    this.events.push(...events);
    const frame = batchFrame(events);
    for (const res of this.clients) res.write(frame);
  }

  /** Retain events without sending them (they happen while nobody is connected). */
  record(events: CacheScopeEvent[]): void {
    this.events.push(...events);
  }

  sendRaw(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  /** Cut every client connection (the client should reconnect). */
  dropClients(): void {
    for (const res of this.clients) res.destroy();
    this.clients.clear();
  }

  /** A new process with new ids takes the port over. */
  restart(events: CacheScopeEvent[]): void {
    this.pid++;
    this.events = [...events];
    this.dropClients();
  }

  close(): Promise<void> {
    this.dropClients();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // CORS as the instrument answers a loopback page origin (the overlay runs on the app's origin)
    if (req.headers.origin) {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      this.preflights++;
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Last-Event-ID, Content-Type, Cache-Control');
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/health') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ cachescope: true, version: '0.1.0', pid: this.pid, schemaVersion: 1, startedAt: 0, app: this.app }));
      return;
    }
    if (url.pathname === '/snapshot') {
      this.snapshotRequests++;
      const withEvents = url.searchParams.get('events') !== '0';
      this.snapshotWithEvents.push(withEvents);
      const events = !withEvents
        ? []
        : this.snapshotEventsUpTo === null
          ? this.events
          : this.events.filter((e) => e.id <= this.snapshotEventsUpTo!);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ schemaVersion: 1, generatedAt: Date.now(), events, dropped: 0, ...this.analysis }));
      return;
    }
    if (url.pathname === '/clear' && req.method === 'POST') {
      this.clearRequests++;
      this.events = [];
      for (const client of this.clients) client.write('event: clear\ndata: {}\n\n');
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/events') {
      const header = req.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId');
      this.eventsRequests.push({ lastEventId: lastEventId ?? null, at: Date.now() });
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(
        `retry: 50\nevent: hello\ndata: ${JSON.stringify({ cachescope: true, pid: this.pid, app: this.app, lastId: this.lastId })}\n\n`,
      );
      if (lastEventId !== null && lastEventId !== undefined) {
        let from = Number(lastEventId);
        if (from > this.lastId) from = 0; // ids restarted: replay from the start
        const replay = this.events.filter((e) => e.id > Math.max(0, from - this.replayOverlap));
        if (replay.length) res.write(batchFrame(replay));
      }
      this.clients.add(res);
      res.on('close', () => this.clients.delete(res));
      return;
    }
    res.writeHead(404).end();
  }
}

export function batchFrame(events: CacheScopeEvent[]): string {
  const last = events[events.length - 1]!.id;
  return `id: ${last}\nevent: batch\ndata: ${JSON.stringify(events)}\n\n`;
}
