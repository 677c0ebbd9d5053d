/**
 * One SSE connection to `GET /events` that stays up: reconnects with backoff after errors and ends, and
 * sends `Last-Event-ID` (the caller's cursor) on every (re)connect so the server replays what was missed.
 * Messages: `hello`, `batch` (JSON array of events, `id:` = last id), `gap`, `clear`, `findings`.
 */
import type { CacheScopeEvent, ConnectionStatus, Finding, StreamGap, StreamHello } from '../store/types.js';
import { endpoint, errorText, type FetchLike } from './http.js';
import { createSseParser, pumpSse, type SseMessage } from './sse-parser.js';

export interface StreamCallbacks {
  onHello?(hello: StreamHello): void;
  /** One call per `batch` message. */
  onBatch(events: CacheScopeEvent[], lastId: number | null): void;
  onGap?(gap: StreamGap): void;
  onClear?(): void;
  onFindings?(findings: Finding[]): void;
  onStatus?(status: ConnectionStatus, detail: { attempts: number; error?: string }): void;
}

export interface StreamClientOptions {
  /** Base URL of the stream server, e.g. `http://127.0.0.1:7340`. */
  url: string;
  /** Sent as `Last-Event-ID` on each (re)connect; null sends none (live from now). */
  cursor(): number | null;
  fetch?: FetchLike;
  /** First retry delay (the server's `retry:` replaces it). Default 1000 ms. */
  retryMs?: number;
  /** Backoff ceiling. Default 15 000 ms. */
  maxRetryMs?: number;
}

export interface StreamClient {
  close(): void;
  /** Drop the current connection and connect again now (e.g. to replay from a new cursor). */
  reconnect(): void;
}

/** What a wrong answer from the stream URL usually means (cachescope logs the same on the server). */
const NOT_OURS = ": another program may hold cachescope's port (see the server log; CACHESCOPE_PORT picks another)";

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export function openStream(options: StreamClientOptions, callbacks: StreamCallbacks): StreamClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxRetry = options.maxRetryMs ?? 15_000;
  let baseRetry = options.retryMs ?? 1000;
  let closed = false;
  let connection: AbortController | null = null;
  let wakeUp: (() => void) | null = null;
  let immediate = false;
  /** Bumped by reconnect(): messages still parsed from the dropped connection are ignored. */
  let generation = 0;

  const dispatch = (message: SseMessage) => {
    if (closed) return;
    switch (message.event) {
      case 'batch': {
        const events = parseJson<CacheScopeEvent[]>(message.data);
        if (!Array.isArray(events)) return;
        const id = Number(message.lastEventId);
        callbacks.onBatch(events, message.lastEventId !== '' && Number.isFinite(id) ? id : null);
        return;
      }
      case 'hello': {
        const hello = parseJson<StreamHello>(message.data);
        if (hello && typeof hello === 'object') callbacks.onHello?.(hello);
        return;
      }
      case 'gap': {
        const gap = parseJson<StreamGap>(message.data);
        if (gap && typeof gap.missed === 'number') callbacks.onGap?.(gap);
        return;
      }
      case 'clear':
        callbacks.onClear?.();
        return;
      case 'findings': {
        const findings = parseJson<Finding[]>(message.data);
        if (Array.isArray(findings)) callbacks.onFindings?.(findings);
        return;
      }
      default:
        return;
    }
  };

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

  const connectOnce = async (): Promise<{ opened: boolean; error: string }> => {
    const controller = new AbortController();
    connection = controller;
    let opened = false;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      const cursor = options.cursor();
      if (cursor !== null) headers['Last-Event-ID'] = String(cursor);
      const res = await fetchImpl(endpoint(options.url, '/events'), {
        headers,
        cache: 'no-store',
        signal: controller.signal,
      });
      if (!res.ok || !res.body) {
        try {
          await res.body?.cancel();
        } catch {
          /* ignore */
        }
        return { opened, error: `GET /events answered ${res.status}${NOT_OURS}` };
      }
      const type = res.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream')) {
        try {
          await res.body.cancel();
        } catch {
          /* ignore */
        }
        return { opened, error: `GET /events answered ${type || 'no content type'}, not an event stream${NOT_OURS}` };
      }
      opened = true;
      callbacks.onStatus?.('open', { attempts: 0 });
      const mine = generation;
      const parser = createSseParser((message) => {
        if (mine === generation) dispatch(message);
      });
      await pumpSse(res.body, parser);
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
      const { opened, error } = await connectOnce();
      if (closed) break;
      if (immediate) {
        immediate = false;
        attempts = 0;
        continue;
      }
      attempts = opened ? 1 : attempts + 1;
      const delay = Math.min(maxRetry, baseRetry * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
      callbacks.onStatus?.(opened ? 'reconnecting' : 'error', { attempts, error });
      await sleep(delay);
    }
  };
  void run();

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
  };
}
