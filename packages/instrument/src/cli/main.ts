/** The `cachescope` command line, as a function: parse argv, run one command, return the exit code. */
import { USAGE, parseArgs, type CliArgs } from './args.js';
import { describeStream, listStreams, pickAppStream, spanText } from './app-streams.js';
import type { CliIo } from './io.js';
import { runReport } from './report.js';
import { runSnapshot } from './snapshot.js';
import { runTail } from './tail.js';
import { packageVersion } from '../stream/version.js';

export interface CliEnv extends CliIo {
  env?: NodeJS.ProcessEnv;
  /** Ends `tail`. */
  signal?: AbortSignal;
  /** Colour `tail` lines (the bin passes whether stdout is a TTY and NO_COLOR is unset). */
  color?: boolean;
  /** Where "the app in the current directory" is looked for. Default `process.cwd()`. */
  cwd?: string;
}

/** --url / --port, else the stream of the app in the current directory (null: said why). */
async function streamUrl(args: CliArgs, io: CliEnv): Promise<string | null> {
  if (args.url) return args.url;
  const picked = pickAppStream(await listStreams(args.firstPort), io.cwd ?? process.cwd(), args.firstPort);
  const error = io.error ?? io.write;
  if ('error' in picked) {
    error(picked.error);
    return null;
  }
  if (picked.note) error(picked.note);
  return picked.stream.url;
}

export async function runCli(argv: readonly string[], io: CliEnv): Promise<number> {
  const args = parseArgs(argv, io.env ?? process.env);
  const error = io.error ?? io.write;
  if (args.errors.length > 0) {
    for (const message of args.errors) error(`cachescope: ${message}`);
    error('');
    error(USAGE);
    return 2;
  }
  switch (args.command) {
    case 'version':
      io.write(packageVersion());
      return 0;
    case 'help':
      io.write(USAGE);
      return 0;
    case 'apps': {
      const streams = await listStreams(args.firstPort);
      if (args.json)
        io.write(
          JSON.stringify(
            streams.map((s) => ({ url: s.url, port: s.port, pid: s.health.pid, app: s.health.app ?? null, startedAt: s.health.startedAt })),
          ),
        );
      else if (streams.length === 0) error(`cachescope: no cachescope stream answers on ${spanText(args.firstPort)}`);
      else for (const s of streams) io.write(describeStream(s));
      return 0;
    }
    case 'mcp': {
      // Loaded only here: the MCP SDK is not needed by the other commands. Nothing may go to stdout but the protocol.
      const { runMcpServer } = await import('../mcp/server.js');
      return runMcpServer({ url: args.url, cwd: io.cwd, env: io.env });
    }
    case 'report':
      if (args.file) return runReport({ file: args.file, failOn: args.failOn, write: io.write, error: io.error });
      break;
    default:
      break;
  }
  const url = await streamUrl(args, io);
  if (url === null) return 2;
  switch (args.command) {
    case 'tail':
      return runTail({
        url,
        json: args.json,
        replay: args.replay,
        color: args.color ?? io.color,
        signal: io.signal,
        write: io.write,
        error: io.error,
      });
    case 'snapshot':
      return runSnapshot({ url, out: args.out, write: io.write, error: io.error });
    default:
      return runReport({ url, failOn: args.failOn, write: io.write, error: io.error });
  }
}
