/** argv -> what to run. Flags: --url, --port (shorthand for http://127.0.0.1:<port>), --json, --out, --file, --replay, --fail-on. */
import { DEFAULT_STREAM_PORT } from '../protocol/stream-ports.js';

export type Command = 'tail' | 'snapshot' | 'report' | 'apps' | 'mcp' | 'help' | 'version';

export interface CliArgs {
  command: Command;
  /** Base URL of the stream server, no trailing slash, when --url or --port named it; else the app's stream is looked for. */
  url?: string;
  /** Where streams are looked for: `CACHESCOPE_PORT`, else 7340 (`streamPorts`). */
  firstPort: number;
  json: boolean;
  out?: string;
  file?: string;
  replay: boolean;
  failOn?: string[];
  /** Problems with the command line; non-empty means print them and exit 2. */
  errors: string[];
}

const VALUE_FLAGS = new Set(['url', 'port', 'out', 'file', 'fail-on']);
const BOOL_FLAGS = new Set(['json', 'replay', 'help', 'version', 'no-color']);

function portOf(raw: string, what: string, errors: string[]): number | undefined {
  const n = Number(raw);
  if (Number.isInteger(n) && n > 0 && n <= 65535) return n;
  errors.push(`${what} is not a port: ${raw}`);
  return undefined;
}

/** `--url`, else `--port` on 127.0.0.1; undefined when neither names a stream. */
export function resolveUrl(flags: { url?: string; port?: string }, errors: string[]): string | undefined {
  if (flags.url) {
    try {
      const u = new URL(flags.url);
      if (u.protocol !== 'http:') errors.push(`--url must be an http:// URL, got ${flags.url}`);
      return u.href.replace(/\/+$/, '');
    } catch {
      errors.push(`--url is not a URL: ${flags.url}`);
      return flags.url;
    }
  }
  if (flags.port === undefined) return undefined;
  const port = portOf(flags.port, '--port', errors);
  return port === undefined ? undefined : `http://127.0.0.1:${port}`;
}

/** The first port streams take: `CACHESCOPE_PORT`, else 7340. */
export function resolveFirstPort(env: NodeJS.ProcessEnv, errors: string[]): number {
  const raw = env.CACHESCOPE_PORT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_STREAM_PORT;
  return portOf(raw, 'CACHESCOPE_PORT', errors) ?? DEFAULT_STREAM_PORT;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs & { color: boolean | undefined } {
  const errors: string[] = [];
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    if (arg === '-v') {
      flags.version = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (VALUE_FLAGS.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) errors.push(`--${name} needs a value`);
      else flags[name] = value;
    } else if (BOOL_FLAGS.has(name)) {
      flags[name] = true;
    } else {
      errors.push(`unknown option --${name}`);
    }
  }
  let command: Command = 'help';
  const first = positional[0];
  if (flags.version) command = 'version';
  else if (flags.help || first === undefined || first === 'help') command = 'help';
  else if (first === 'tail' || first === 'snapshot' || first === 'report' || first === 'apps' || first === 'mcp') command = first;
  else errors.push(`unknown command: ${first}`);
  if (positional.length > 1) errors.push(`unexpected argument: ${positional[1]}`);

  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const url = resolveUrl({ url: str('url'), port: str('port') }, errors);
  const firstPort = resolveFirstPort(env, errors);
  const failOn = str('fail-on')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    command,
    url,
    firstPort,
    json: flags.json === true,
    out: str('out'),
    file: str('file'),
    replay: flags.replay === true,
    failOn,
    errors,
    color: flags['no-color'] ? false : undefined,
  };
}

export const USAGE = `cachescope: see what the Next.js data cache really did

Usage:
  cachescope tail     [--url URL | --port N] [--json] [--replay]
      Live lines for every cache decision, revalidation and finding. Reconnects by itself.
      --replay starts with what the server still holds; --json prints one JSON object per line.
  cachescope snapshot [--url URL | --port N] [--out FILE]
      The snapshot JSON (events, tags, revalidations, findings) to stdout or FILE.
  cachescope report   [--url URL | --port N | --file SNAPSHOT.json] [--fail-on KIND,...]
      Findings grouped by kind. Exit 1 when there are findings (only of these kinds with --fail-on),
      0 when there are none, 2 when the server cannot be reached.
  cachescope apps     [--json]
      The running apps' streams: app, mode, directory, URL, pid.
  cachescope mcp      [--url URL | --port N]
      An MCP server on stdin/stdout for coding agents: findings, tag, revalidations, calls, invalidate, clear.

Without --url / --port, a command talks to the stream of the app in the current directory. Each app
(project directory + distDir, dev or start) serves its own stream on the first free port from
$CACHESCOPE_PORT (default 7340) on, started by the app's register().`;
