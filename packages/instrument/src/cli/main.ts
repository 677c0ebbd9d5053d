/** The `cachescope` command line, as a function: parse argv, run one command, return the exit code. */
import { USAGE, parseArgs } from './args.js';
import type { CliIo } from './io.js';
import { runReport } from './report.js';
import { runSnapshot } from './snapshot.js';
import { runTail } from './tail.js';
import { packageVersion } from '../transport/version.js';

export interface CliEnv extends CliIo {
  env?: NodeJS.ProcessEnv;
  /** Ends `tail`. */
  signal?: AbortSignal;
  /** Colour `tail` lines (the bin passes whether stdout is a TTY and NO_COLOR is unset). */
  color?: boolean;
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
    case 'tail':
      return runTail({
        url: args.url,
        json: args.json,
        replay: args.replay,
        color: args.color ?? io.color,
        signal: io.signal,
        write: io.write,
        error: io.error,
      });
    case 'snapshot':
      return runSnapshot({ url: args.url, out: args.out, write: io.write, error: io.error });
    case 'report':
      return runReport({ url: args.url, file: args.file, failOn: args.failOn, write: io.write, error: io.error });
  }
}
