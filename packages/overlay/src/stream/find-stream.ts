/**
 * Finds the app's own stream: asks `GET /health` on each stream port in the order streams take them (a
 * remembered port first) and stops at the first stream of this app. What the other ports hold is kept, so
 * the overlay can say why none fits.
 */
import { streamPorts, type FetchLike } from '@cachescope/instrument/protocol';
import type { AppStreamHint, StreamHello } from '../store/types.js';

/** A `/health` answer (a `hello` without its `lastId`); fields may be missing from another version. */
type Health = Partial<StreamHello>;

export interface FoundStream {
  url: string;
  hello: Health;
}

export type StreamSearch = { found: FoundStream } | { found: null; report: string };

const PROBE_MS = 1500;

type PortAnswer = { port: number; stream: Health } | { port: number; other: string } | { port: number; none: true };

const SILENT = Symbol('silent');

async function probe(url: string, port: number, fetchImpl: FetchLike): Promise<PortAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silent = new Promise<typeof SILENT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(SILENT);
    }, PROBE_MS);
  });
  try {
    const answer = await Promise.race([
      (async () => {
        const res = await fetchImpl(`${url}/health`, { cache: 'no-store', signal: controller.signal });
        return { res, body: (await res.json().catch(() => null)) as Health | null };
      })(),
      silent,
    ]);
    if (answer === SILENT) return { port, other: 'no answer' };
    if (answer.res.ok && answer.body && answer.body.cachescope === true) return { port, stream: answer.body };
    return { port, other: `HTTP ${answer.res.status}` };
  } catch {
    // refused or closed; a browser cannot tell these apart from a program that answers without CORS headers
    return { port, none: true };
  } finally {
    clearTimeout(timer);
  }
}

function describe(answer: PortAnswer): string | null {
  if ('stream' in answer) {
    const app = answer.stream.app;
    return `${answer.port} serves ${app ? `app ${app.name} (${app.mode}, ${app.dir})` : 'a stream of no app'}`;
  }
  if ('other' in answer) return `${answer.port} is another program (${answer.other})`;
  return null;
}

/**
 * `hint` null: the page was not built through withCacheScope(), so the overlay does not know its app; it takes
 * a stream only when exactly one runs.
 */
export async function findAppStream(
  hint: AppStreamHint | null,
  options: { firstPort: number; host?: string; preferPort?: number; fetch?: FetchLike },
): Promise<StreamSearch> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const host = options.host ?? '127.0.0.1';
  const ports = streamPorts(options.firstPort);
  if (options.preferPort !== undefined && ports.includes(options.preferPort))
    ports.unshift(...ports.splice(ports.indexOf(options.preferPort), 1));
  const answers: PortAnswer[] = [];
  for (const port of ports) {
    const url = `http://${host}:${port}`;
    const answer = await probe(url, port, fetchImpl);
    if (hint && 'stream' in answer && answer.stream.app?.id === hint.id) return { found: { url, hello: answer.stream } };
    answers.push(answer);
  }
  const streams = answers.filter((a): a is Extract<PortAnswer, { stream: Health }> => 'stream' in a);
  if (!hint && streams.length === 1) return { found: { url: `http://${host}:${streams[0]!.port}`, hello: streams[0]!.stream } };
  const span = `${ports.length > 1 ? `ports ${Math.min(...ports)}–${Math.max(...ports)}` : `port ${ports[0]}`}`;
  const seen = answers
    .sort((a, b) => a.port - b.port)
    .map(describe)
    .filter(Boolean);
  const what = seen.length ? `; ${seen.join('; ')}` : '; nothing listens there';
  if (!hint) {
    return {
      found: null,
      report:
        `this page does not know its app (next.config is not wrapped with withCacheScope()), and ` +
        `${streams.length ? `${streams.length} streams run` : 'no stream runs'} on ${span}${what}`,
    };
  }
  return {
    found: null,
    report: `no stream of app ${hint.name} on ${span}${what}. Is the app running with cachescope's register() in instrumentation.ts?`,
  };
}
