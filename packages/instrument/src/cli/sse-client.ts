/** One SSE connection over node:http (no EventSource): open, parse, and report how it ended. */
import { request } from 'node:http';
import { createSseParser, type SseMessage } from './sse-parser.js';

export interface SseEnd {
  /** `ended`: the server closed the stream; `error`: refused, reset or bad status; `closed`: we closed it. */
  reason: 'ended' | 'error' | 'closed';
  status?: number;
  error?: string;
  /** Last `id:` seen on this connection ('' when none). */
  lastEventId: string;
  /** `retry:` advertised by the server. */
  retry?: number;
}

export interface SseOptions {
  url: string;
  /** Sent as `Last-Event-ID` (replay from there). */
  lastEventId?: string;
  onOpen?: () => void;
  onMessage: (message: SseMessage) => void;
  onComment?: (text: string) => void;
}

export interface SseConnection {
  close(): void;
  done: Promise<SseEnd>;
}

export function openSse(options: SseOptions): SseConnection {
  let closedByUs = false;
  let finish: (end: Omit<SseEnd, 'lastEventId' | 'retry'>) => void = () => {};
  const parser = createSseParser(options.onMessage, options.onComment);
  const done = new Promise<SseEnd>((resolve) => {
    let settled = false;
    finish = (end) => {
      if (settled) return;
      settled = true;
      resolve({ ...end, lastEventId: parser.lastEventId || options.lastEventId || '', retry: parser.retry });
    };
  });

  const url = new URL(options.url);
  const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const req = request(url, { method: 'GET', headers, agent: false }, (res) => {
    if (res.statusCode !== 200 || !String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      res.resume();
      finish({ reason: 'error', status: res.statusCode, error: `HTTP ${res.statusCode ?? '?'} from ${url.href}` });
      return;
    }
    res.socket.setNoDelay(true);
    options.onOpen?.();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.push(chunk));
    res.on('end', () => finish({ reason: closedByUs ? 'closed' : 'ended' }));
    res.on('close', () => finish({ reason: closedByUs ? 'closed' : 'ended' }));
    res.on('error', (error) => finish({ reason: closedByUs ? 'closed' : 'error', error: error.message }));
  });
  req.on('error', (error: NodeJS.ErrnoException) =>
    finish({ reason: closedByUs ? 'closed' : 'error', error: error.code ?? error.message }),
  );
  req.end();

  return {
    close() {
      closedByUs = true;
      req.destroy();
      finish({ reason: 'closed' });
    },
    done,
  };
}
