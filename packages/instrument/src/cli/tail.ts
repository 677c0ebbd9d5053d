/**
 * `cachescope tail`: follow `GET /events`, print one line per event (or one JSON object per line with --json),
 * a line for each `gap`, `clear` and finding, and reconnect with Last-Event-ID when the stream drops
 * (a Next restart, a dev-server reload). Runs until `signal` aborts; resolves 0, or 2 when the server refuses us.
 */
import type { CacheScopeEvent } from '../protocol/events.js';
import { openStream } from '../protocol/stream-client.js';
import { EventFormatter } from './format.js';
import { unreachableHint } from './http.js';
import { errorOf, type CliIo } from './io.js';

export interface TailOptions extends CliIo {
  /** Base URL of the stream server. */
  url: string;
  json?: boolean;
  /** Start with everything the server still holds (Last-Event-ID 0) instead of live from now. */
  replay?: boolean;
  color?: boolean;
  signal?: AbortSignal;
  /** First reconnect delay (the server's `retry:` replaces it). Default: the stream client's. */
  retryMs?: number;
  /** Reconnect backoff ceiling. Default: the stream client's. */
  maxRetryMs?: number;
}

export async function runTail(options: TailOptions): Promise<number> {
  const { url, signal } = options;
  if (signal?.aborted) return 0;
  const write = options.write;
  const status = errorOf(options);
  const formatter = new EventFormatter({ color: options.color });
  let cursor: number | null = options.replay ? 0 : null;
  let connectedOnce = false;
  let down = false;
  let refused = false;
  let badFrames = 0;
  /** Findings already printed (id -> count|lastTs): a reconnect re-sends them all. */
  const shownFindings = new Map<string, string>();

  const print = (value: unknown) => write(JSON.stringify(value));

  const stream = openStream(
    { url, cursor: () => cursor, retryMs: options.retryMs, maxRetryMs: options.maxRetryMs },
    {
      onHello(hello) {
        const app = hello.app ? `app ${hello.app.name} (${hello.app.mode}, ${hello.app.dir}) at ` : '';
        status(`cachescope: following ${app}${url} (pid ${hello.pid ?? '?'}, cachescope ${hello.version ?? '?'})`);
      },
      onBatch(events: CacheScopeEvent[], lastId) {
        if (lastId !== null) cursor = lastId;
        for (const event of events) {
          if (options.json) print(event);
          else {
            const line = formatter.format(event);
            if (line !== null) write(line);
          }
        }
      },
      onGap(gap) {
        if (options.json) print({ stream: 'gap', ...gap });
        else write(formatter.gap(gap));
      },
      onClear() {
        shownFindings.clear();
        if (options.json) print({ stream: 'clear' });
        else write(formatter.clear());
      },
      onFindings(findings) {
        for (const finding of findings) {
          const signature = `${finding.count ?? ''}|${finding.lastTs ?? ''}`;
          if (finding.id !== undefined) {
            if (shownFindings.get(finding.id) === signature) continue;
            shownFindings.set(finding.id, signature);
          }
          if (options.json) print({ stream: 'finding', ...finding });
          else write(formatter.finding(finding));
        }
      },
      onOther(event, data) {
        if (options.json) print({ stream: event, data });
      },
      onMalformed(event) {
        if (badFrames++ === 0) status(`cachescope: ignoring a malformed ${event} message`);
      },
      onStatus(state, detail) {
        if (state === 'open') {
          if (down && connectedOnce) status('cachescope: reconnected');
          connectedOnce = true;
          down = false;
          return;
        }
        if (state === 'connecting') return;
        if (detail.httpStatus === 403 || detail.httpStatus === 404) {
          status(`cachescope: ${url}/events answered HTTP ${detail.httpStatus}: is this the cachescope stream port?`);
          refused = true;
          stream.close();
          return;
        }
        if (down) return;
        down = true;
        const why = detail.httpStatus !== undefined ? `HTTP ${detail.httpStatus} from ${url}/events` : (detail.error ?? '?');
        status(connectedOnce ? 'cachescope: stream closed; reconnecting…' : `${unreachableHint(url, why)} Retrying…`);
      },
    },
  );
  const stop = () => stream.close();
  signal?.addEventListener('abort', stop, { once: true });
  await stream.done;
  signal?.removeEventListener('abort', stop);
  return refused ? 2 : 0;
}
