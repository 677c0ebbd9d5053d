#!/usr/bin/env node
/** The `cachescope` bin: argv and process wiring only; everything else is in main.ts. */
import { runCli } from './main.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());
// `cachescope tail | head` closes our stdout: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') {
    controller.abort();
    process.exit(0);
  }
});

const write = (line: string) => void process.stdout.write(`${line}\n`);
const error = (line: string) => void process.stderr.write(`${line}\n`);

runCli(process.argv.slice(2), {
  write,
  error,
  signal: controller.signal,
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    error(`cachescope: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
