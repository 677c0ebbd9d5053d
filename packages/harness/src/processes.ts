// Child-process bookkeeping: every server the harness spawns runs in its own process group
// (detached), is recorded in memory and in a pid file, and is killed as a group on stop,
// on process exit/SIGINT/SIGTERM, and (as a last resort) by the vitest global teardown.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DIR } from './paths';

export const PID_DIR = join(DEMO_DIR, 'test-artifacts', '.harness-pids');

const live = new Set<number>();
let handlersInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', () => {
    for (const pgid of live) {
      killGroup(pgid, 'SIGKILL');
      rmSync(join(PID_DIR, String(pgid)), { force: true });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const pgid of live) killGroup(pgid, 'SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export interface Managed {
  child: ChildProcess;
  logs(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string | null>;
  stop(timeoutMs?: number): Promise<void>;
}

/** Spawns `command` detached (own process group) and captures stdout+stderr. */
export function spawnManaged(command: string, args: string[], options: SpawnOptions & { label: string }): Managed {
  installHandlers();
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  if (!pgid) throw new Error(`failed to spawn ${options.label}`);
  live.add(pgid);
  mkdirSync(PID_DIR, { recursive: true });
  // Line 2 names the owning test process: a sweep leaves groups alone while their owner lives.
  writeFileSync(join(PID_DIR, String(pgid)), `${options.label}\n${process.pid}\n`);

  const chunks: string[] = [];
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(pgid);
      rmSync(join(PID_DIR, String(pgid)), { force: true });
      resolve(code ?? signal);
    });
  });

  return {
    child,
    logs: () => chunks.join(''),
    exited,
    async stop(timeoutMs = 5_000) {
      if (!live.has(pgid)) return;
      killGroup(pgid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      // The leader may exit before its children (next-server workers): sweep the group.
      killGroup(pgid, 'SIGKILL');
    },
  };
}

function ownerAlive(pidFile: string): boolean {
  let owner = NaN;
  try {
    owner = Number(readFileSync(pidFile, 'utf8').split('\n')[1]);
  } catch {
    return false;
  }
  if (!Number.isInteger(owner) || owner <= 1 || owner === process.pid) return false;
  try {
    process.kill(owner, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Kills process groups whose pid files are still present (a worker died without cleanup).
 * Only pids this harness recorded, and only if the process still looks like node/next.
 */
export function sweepLeftovers(): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(PID_DIR);
  } catch {
    return [];
  }
  const killed: string[] = [];
  for (const file of files) {
    const pgid = Number(file);
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    // Another test run (e.g. a second vitest in this checkout) still owns it: not a leftover.
    if (ownerAlive(join(PID_DIR, file))) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pgid}/cmdline`, 'utf8');
    } catch {
      /* gone */
    }
    if (/next|node/.test(cmdline) && killGroup(pgid, 'SIGKILL')) killed.push(`${pgid} ${cmdline.replace(/\0/g, ' ')}`);
    rmSync(join(PID_DIR, file), { force: true });
  }
  return killed;
}
