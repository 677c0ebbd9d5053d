/**
 * The one client of `GET /events` (the overlay, `cachescope tail`, the benches): one connection that stays up.
 * It sends the caller's cursor as `Last-Event-ID` on every (re)connect so the server replays what came after
 * it, reconnects with backoff after errors and ends, and hands each message over parsed (messages.ts).
 * Runs on `fetch` + ReadableStream: browsers and Node 20 alike.
 */
import type { CacheScopeEvent, Finding } from './events.js';
import { endpoint, errorText, type FetchLike } from './fetch.js';
import { createSseParser, readSseBody, type SseMessage } from './sse-parser.js';
import { HEARTBEAT_COMMENT, MESSAGE, type StreamGap, type StreamHello } from './messages.js';

/** Where the connection stands: trying, following, or waiting to retry after a drop (`reconnecting`) or a failed attempt (`error`). */
export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'error';

export interface StatusDetail {
  /** Consecutive failed attempts since the last successful connect. */
  attempts: number;
  /** Why the connection ended or the attempt failed. */
  error?: string;
  /** The HTTP status, when `/events` answered something other than an event stream. */
  httpStatus?: number;
}

export interface StreamCallbacks {
  /** Fields may be missing when the server is of another version. */
  onHello?(hello: Partial<StreamHello>): void;
  /** One call per `batch` message; `lastId` is its `id:` (null without one). */
  onBatch(events: CacheScopeEvent[], lastId: number | null): void;
  onGap?(gap: StreamGap): void;
  onClear?(): void;
  onFindings?(findings: Finding[]): void;
  onHeartbeat?(): void;
  /** A message this client does not know (from a newer server), its data parsed. */
  onOther?(event: string, data: unknown): void;
  /** A message whose data is not JSON (it is skipped). */
  onMalformed?(event: string): void;
  onStatus?(status: StreamStatus, detail: StatusDetail): void;
}

/**
 * Backoff ceiling: 5 s. The stream is on this machine and mostly drops because the dev server restarts, which
 * takes seconds; a longer ceiling would leave the overlay and `tail` blind for that long after it is back,
 * while a refused loopback connect every 5 s costs nothing (and only the leader tab connects).
 */
export const MAX_RETRY_MS = 5000;
/** First retry delay, until the server's `retry:` says otherwise. */
export const RETRY_MS = 1000;

export interface StreamClientOptions {
  /** Base URL of the stream server, e.g. `http://127.0.0.1:7340`. */
  url: string;
  /** Sent as `Last-Event-ID` on each (re)connect: replay what came after it. Null sends none (live from now). */
  cursor(): number | null;
  fetch?: FetchLike;
  /** First retry delay (the server's `retry:` replaces it). Default `RETRY_MS`. */
  retryMs?: number;
  /** Backoff ceiling. Default `MAX_RETRY_MS`. */
  maxRetryMs?: number;
}

export interface StreamClient {
  close(): void;
  /** Drop the current connection and connect again now (e.g. to replay from a new cursor). */
  reconnect(): void;
  /** Settles once the client is closed. */
  readonly done: Promise<void>;
}

/** What a wrong answer from the stream URL usually means (cachescope logs the same on the server). */
const NOT_OURS = ": another program may hold cachescope's port (see the server log; CACHESCOPE_PORT picks another)";

interface Attempt {
  opened: boolean;
  error: string;
  httpStatus?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Hand one message to its callback; false when its data is not JSON. */
function deliver(message: SseMessage, callbacks: StreamCallbacks): boolean {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return false;
  }
  switch (message.event) {
    case MESSAGE.batch: {
      if (!Array.isArray(data)) return true;
      const id = Number(message.lastEventId);
      callbacks.onBatch(data as CacheScopeEvent[], message.lastEventId !== '' && Number.isFinite(id) ? id : null);
      return true;
    }
    case MESSAGE.hello:
      if (isObject(data)) callbacks.onHello?.(data as Partial<StreamHello>);
      return true;
    case MESSAGE.gap:
      if (isObject(data) && typeof data.missed === 'number') callbacks.onGap?.(data as unknown as StreamGap);
      return true;
    case MESSAGE.clear:
      callbacks.onClear?.();
      return true;
    case MESSAGE.findings:
      if (Array.isArray(data)) callbacks.onFindings?.(data as Finding[]);
      return true;
    default:
      callbacks.onOther?.(message.event, data);
      return true;
  }
}

async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  try {
    await body?.cancel();
  } catch {
    /* the body is gone either way */
  }
}

export function openStream(options: StreamClientOptions, callbacks: StreamCallbacks): StreamClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxRetry = options.maxRetryMs ?? MAX_RETRY_MS;
  let baseRetry = options.retryMs ?? RETRY_MS;
  let closed = false;
  let connection: AbortController | null = null;
  let wakeUp: (() => void) | null = null;
  let immediate = false;
  /** Bumped by reconnect(): messages still parsed from the dropped connection are ignored. */
  let generation = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const connectOnce = async (): Promise<Attempt> => {
    const controller = new AbortController();
    connection = controller;
    let opened = false;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      const cursor = options.cursor();
      if (cursor !== null) headers['Last-Event-ID'] = String(cursor);
      const res = await fetchImpl(endpoint(options.url, '/events'), { headers, cache: 'no-store', signal: controller.signal });
      if (!res.ok || !res.body) {
        await discard(res.body);
        return { opened, error: `GET /events answered ${res.status}${NOT_OURS}`, httpStatus: res.status };
      }
      const type = res.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream')) {
        await discard(res.body);
        return {
          opened,
          error: `GET /events answered ${type || 'no content type'}, not an event stream${NOT_OURS}`,
          httpStatus: res.status,
        };
      }
      opened = true;
      callbacks.onStatus?.('open', { attempts: 0 });
      const mine = generation;
      const parser = createSseParser(
        (message) => {
          if (closed || mine !== generation) return;
          if (!deliver(message, callbacks)) callbacks.onMalformed?.(message.event);
        },
        (comment) => {
          if (comment === HEARTBEAT_COMMENT && !closed) callbacks.onHeartbeat?.();
        },
      );
      await readSseBody(res.body, parser);
      if (parser.retry !== undefined) baseRetry = parser.retry;
      return { opened, error: 'the stream ended' };
    } catch (error) {
      return { opened, error: errorText(error) };
    } finally {
      connection = null;
    }
  };

  const run = async () => {
    let attempts = 0;
    callbacks.onStatus?.('connecting', { attempts });
    while (!closed) {
      const { opened, error, httpStatus } = await connectOnce();
      if (closed) break;
      if (immediate) {
        immediate = false;
        attempts = 0;
        continue;
      }
      attempts = opened ? 1 : attempts + 1;
      const delay = Math.min(maxRetry, baseRetry * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
      callbacks.onStatus?.(opened ? 'reconnecting' : 'error', { attempts, error, httpStatus });
      if (closed) break;
      await sleep(delay);
    }
  };
  const done = run();

  return {
    close() {
      if (closed) return;
      closed = true;
      connection?.abort();
      wakeUp?.();
    },
    reconnect() {
      if (closed) return;
      generation++;
      if (connection) {
        immediate = true;
        connection.abort();
      } else wakeUp?.();
    },
    done,
  };
}
