/**
 * Which stream the CLI talks to when no --url / --port is given: the stream of the app in the current
 * directory, looked for where streams live (`streamPorts` from CACHESCOPE_PORT, default 7340).
 */
import { relative, isAbsolute } from 'node:path';
import type { StreamHealth } from '../protocol/events.js';
import { streamPorts } from '../protocol/stream-ports.js';
import { probeHealth } from '../stream/probe.js';

export interface RunningStream {
  url: string;
  port: number;
  health: StreamHealth;
}

/** Every cachescope stream answering in the span, in port order. */
export async function listStreams(firstPort: number): Promise<RunningStream[]> {
  const found = await Promise.all(
    streamPorts(firstPort).map(async (port) => {
      const health = await probeHealth('127.0.0.1', port, 1000);
      return health ? { url: `http://127.0.0.1:${port}`, port, health } : null;
    }),
  );
  return found.filter((s): s is RunningStream => s !== null);
}

/** `web (dev) /work/apps/web  http://127.0.0.1:7340  pid 123`: one line for a running stream. */
export function describeStream(stream: RunningStream): string {
  const app = stream.health.app;
  const name = app ? `${app.name} (${app.mode})` : '(no app)';
  return `${name}  ${app?.dir ?? '?'}  ${stream.url}  pid ${stream.health.pid}`;
}

const inside = (dir: string, cwd: string) => {
  const rel = relative(dir, cwd);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** `ports 7340–7349`: where streams are looked for. */
export function spanText(firstPort: number): string {
  const ports = streamPorts(firstPort);
  return `ports ${ports[0]}–${ports[ports.length - 1]}`;
}

export type Pick = { stream: RunningStream; note?: string } | { error: string };

/**
 * The stream of the app whose directory holds `cwd` (the deepest, for nested apps; `next dev` before
 * `next start` of the same project, with a note). With no such app, the only stream running, with a note;
 * otherwise an error that lists what runs.
 */
export function pickAppStream(streams: readonly RunningStream[], cwd: string, firstPort: number): Pick {
  const span = spanText(firstPort);
  if (streams.length === 0) {
    return {
      error: `cachescope: no cachescope stream answers on ${span}: is the Next app running with cachescope enabled? (CACHESCOPE_PORT moves the span; --url names a stream)`,
    };
  }
  const mine = streams
    .filter((s) => s.health.app && inside(s.health.app.dir, cwd))
    .sort((a, b) => b.health.app!.dir.length - a.health.app!.dir.length || (a.health.app!.mode === 'dev' ? -1 : 1));
  const list = streams.map((s) => `  ${describeStream(s)}`).join('\n');
  if (mine.length > 0) {
    const [stream, ...others] = mine;
    const sameDir = others.filter((s) => s.health.app!.dir === stream!.health.app!.dir);
    return {
      stream: stream!,
      note: sameDir.length
        ? `cachescope: also running for this app: ${sameDir.map(describeStream).join('; ')} (--url picks it)`
        : undefined,
    };
  }
  if (streams.length === 1) {
    return {
      stream: streams[0]!,
      note: `cachescope: no app in ${cwd} runs a stream; using the only one running: ${describeStream(streams[0]!)}`,
    };
  }
  return { error: `cachescope: none of the running streams is of an app in ${cwd}:\n${list}\nRun it in the app's folder, or pass --url.` };
}
