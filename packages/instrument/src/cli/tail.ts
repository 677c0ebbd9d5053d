/**
 * `cachescope tail`: follow `GET /events`, print one line per event (or one JSON object per line with --json),
 * a line for each `gap`, `clear` and finding, and reconnect with Last-Event-ID when the stream drops
 * (a Next restart, a dev-server reload). Runs until `signal` aborts; resolves 0, or 2 when the server refuses us.
 */
import type { StreamHealth } from '../protocol/events.js';
import { EventFormatter } from './format.js';
import { unreachableHint } from './http.js';
import { errorOf, type CliIo } from './io.js';
import { openSse } from './sse-client.js';
import type { SseMessage } from './sse-parser.js';

export interface TailOptions extends CliIo {
  /** Base URL of the stream server. */
  url: string;
  json?: boolean;
  /** Start with everything the server still holds (Last-Event-ID 0) instead of live from now. */
  replay?: boolean;
  color?: boolean;
  signal?: AbortSignal;
  /** First reconnect delay (the server's `retry:` wins when it sends one). Default 1000 ms. */
  retryMs?: number;
  /** Reconnect backoff ceiling. Default 5000 ms. */
  maxRetryMs?: number;
}

type Wire = { id: number; type: string; ts: number } & Record<string, unknown>;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runTail(options: TailOptions): Promise<number> {
  const { url, signal } = options;
  const write = options.write;
  const status = errorOf(options);
  const formatter = new EventFormatter({ color: options.color });
  const baseRetry = options.retryMs ?? 1000;
  const maxRetry = options.maxRetryMs ?? 5000;
  let lastEventId: string | undefined = options.replay ? '0' : undefined;
  let connectedOnce = false;
  let down = false;
  let delay = baseRetry;
  let badFrames = 0;
  /** Findings already printed (id -> count|lastTs): a reconnect re-sends them all. */
  const shownFindings = new Map<string, string>();

  const print = (value: unknown) => write(JSON.stringify(value));

  const onMessage = (message: SseMessage) => {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      if (badFrames++ === 0) status(`cachescope: ignoring a malformed ${message.event} message`);
      return;
    }
    switch (message.event) {
      case 'hello': {
        const hello = data as Partial<StreamHealth>;
        const app = hello.app ? `app ${hello.app.name} (${hello.app.mode}, ${hello.app.dir}) at ` : '';
        status(`cachescope: following ${app}${url} (pid ${hello.pid ?? '?'}, cachescope ${hello.version ?? '?'})`);
        return;
      }
      case 'batch':
        if (!Array.isArray(data)) return;
        for (const event of data as Wire[]) {
          if (options.json) print(event);
          else {
            const line = formatter.format(event);
            if (line !== null) write(line);
          }
        }
        return;
      case 'gap':
        if (options.json) print({ stream: 'gap', ...(data as object) });
        else write(formatter.gap(data as { missed?: number; reason?: string }));
        return;
      case 'clear':
        shownFindings.clear();
        if (options.json) print({ stream: 'clear' });
        else write(formatter.clear());
        return;
      case 'findings':
        if (!Array.isArray(data)) return;
        for (const finding of data as Array<{ id?: string; count?: number; lastTs?: number }>) {
          const signature = `${finding.count ?? ''}|${finding.lastTs ?? ''}`;
          if (finding.id !== undefined) {
            if (shownFindings.get(finding.id) === signature) continue;
            shownFindings.set(finding.id, signature);
          }
          if (options.json) print({ stream: 'finding', ...(finding as object) });
          else write(formatter.finding(finding));
        }
        return;
      default:
        if (options.json) print({ stream: message.event, data });
    }
  };

  while (!signal?.aborted) {
    const conn = openSse({
      url: `${url}/events`,
      lastEventId,
      onOpen: () => {
        if (down && connectedOnce) status('cachescope: reconnected');
        connectedOnce = true;
        down = false;
        delay = baseRetry;
      },
      onMessage,
    });
    const abort = () => conn.close();
    signal?.addEventListener('abort', abort, { once: true });
    const end = await conn.done;
    signal?.removeEventListener('abort', abort);
    if (end.lastEventId) lastEventId = end.lastEventId;
    if (signal?.aborted || end.reason === 'closed') break;
    if (end.status === 403 || end.status === 404) {
      status(`cachescope: ${url}/events answered HTTP ${end.status}: is this the cachescope stream port?`);
      return 2;
    }
    if (!down) {
      down = true;
      status(
        connectedOnce
          ? 'cachescope: stream closed; reconnecting…'
          : `${unreachableHint(url, end.error ?? `HTTP ${end.status ?? '?'}`)} Retrying…`,
      );
    }
    if (end.retry !== undefined) delay = Math.max(delay, end.retry);
    await sleep(delay, signal);
    delay = Math.min(delay * 2, maxRetry);
  }
  return 0;
}
