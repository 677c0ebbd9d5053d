/** Test doubles: an in-memory ring-buffer source, and a recording SSE connection over real sockets. */
import { request } from 'node:http';
import { createSseParser, readSseBody, type SseMessage } from '../../../src/protocol/sse-parser.js';
import type { StreamGap } from '../../../src/protocol/messages.js';
import type { StreamSource } from '../../../src/stream/types.js';

export interface TestEvent {
  id: number;
  type: string;
  ts: number;
  pid: number;
  [key: string]: unknown;
}

export interface MemorySource extends StreamSource<TestEvent, TestSnapshot> {
  push(...drafts: Array<Partial<TestEvent>>): TestEvent[];
  readonly ingested: Array<{ pid: number; count: number }>;
  readonly cleared: number;
}

export interface TestSnapshot {
  schemaVersion: 1;
  events: TestEvent[];
  tags: unknown[];
  revalidations: unknown[];
  findings: unknown[];
  dropped: number;
}

export function memorySource(capacity = 1000, options: { resetIdsOnClear?: boolean; withLastId?: boolean } = {}): MemorySource {
  let buffer: TestEvent[] = [];
  let next = 1;
  let dropped = 0;
  let cleared = 0;
  const listeners = new Set<(batch: readonly TestEvent[]) => void>();
  const ingested: Array<{ pid: number; count: number }> = [];
  const append = (drafts: Array<Partial<TestEvent>>): TestEvent[] => {
    const added = drafts.map((d) => ({ type: 'fetch', ts: Date.now(), pid: process.pid, ...d, id: next++ }) as TestEvent);
    buffer.push(...added);
    if (buffer.length > capacity) {
      dropped += buffer.length - capacity;
      buffer = buffer.slice(buffer.length - capacity);
    }
    for (const l of listeners) l(added);
    return added;
  };
  const source: MemorySource = {
    push: (...drafts) => append(drafts),
    since: (lastId) => buffer.filter((e) => e.id > lastId),
    snapshot: () => ({ schemaVersion: 1, events: [...buffer], tags: [], revalidations: [], findings: [], dropped }),
    clear: () => {
      buffer = [];
      dropped = 0;
      cleared++;
      if (options.resetIdsOnClear) next = 1;
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    ingest: (events, origin) => {
      ingested.push({ pid: origin.pid, count: events.length });
      append(events.map(({ id: _id, ...rest }) => rest));
    },
    get ingested() {
      return ingested;
    },
    get cleared() {
      return cleared;
    },
  };
  if (options.withLastId !== false) source.lastId = () => next - 1;
  return source;
}

export interface Recorder {
  messages: SseMessage[];
  /** Comments (heartbeats). */
  comments: string[];
  batches(): TestEvent[][];
  events(): TestEvent[];
  gaps(): StreamGap[];
  conn: { close(): void };
  opened: Promise<void>;
  waitFor(predicate: (r: Recorder) => boolean, timeoutMs?: number): Promise<void>;
}

/**
 * One connection to /events that records every message and never reconnects (what the server sends, as is;
 * the reconnecting client is tested in protocol/stream-client.test.ts).
 */
export function record(baseUrl: string, lastEventId?: string, path = '/events'): Recorder {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let resolveOpen: () => void = () => {};
  const opened = new Promise<void>((r) => (resolveOpen = r));
  const controller = new AbortController();
  const parser = createSseParser(
    (m) => {
      messages.push(m);
      if (m.event === 'hello') resolveOpen();
    },
    (c) => comments.push(c),
  );
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  void fetch(baseUrl + path, { headers, signal: controller.signal })
    .then((res) => (res.body ? readSseBody(res.body, parser) : undefined))
    .catch(() => {});
  const r: Recorder = {
    messages,
    comments,
    batches: () => messages.filter((m) => m.event === 'batch').map((m) => JSON.parse(m.data) as TestEvent[]),
    events: () => r.batches().flat(),
    gaps: () => messages.filter((m) => m.event === 'gap').map((m) => JSON.parse(m.data) as StreamGap),
    conn: { close: () => controller.abort() },
    opened,
    waitFor: (predicate, timeoutMs = 3000) => waitFor(() => predicate(r), timeoutMs),
  };
  return r;
}

export async function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request with full control over headers (Host, Origin). */
export function raw(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: init.host ?? '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

export { freePortRange } from '@cachescope/harness';

/** An app identity for tests (what withCacheScope computes for a real project). */
export function testApp(name: string, mode: 'dev' | 'prod' = 'dev') {
  return { id: `id-${name}-${mode}`, name, dir: `/apps/${name}`, mode };
}
