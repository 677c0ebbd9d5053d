// Other Next apps than the demo, for tests that need several: a copy of a fixture under test/apps, as its
// own project directory inside test-artifacts (so Turbopack's root, the workspace, holds it), with the
// demo's node_modules linked in. Started as `next dev` or `next build && next start` like the demo.
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, DEMO_DIR, NEXT_BIN } from './paths';
import { freePort } from './ports';
import { spawnManaged, type Managed } from './processes';
import { streamUrlIn, waitUntilAnswering } from './start-demo';

export interface FixtureApp {
  name: string;
  dir: string;
}

/** A fresh copy of `test/apps/<fixture>` named `name` (its package.json name, so its app name). */
export function copyFixtureApp(fixture: string, name: string): FixtureApp {
  const dir = join(ARTIFACTS_DIR, 'apps', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(DEMO_DIR, 'test', 'apps', fixture), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`);
  symlinkSync(join(DEMO_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { name, dir };
}

const nextEnv = (env: Record<string, string>) => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1', ...env });

export async function buildFixtureApp(app: FixtureApp, env: Record<string, string>): Promise<void> {
  const proc = spawnManaged(NEXT_BIN, ['build'], { cwd: app.dir, env: nextEnv(env), label: `next build (${app.name})` });
  const timer = setTimeout(() => void proc.stop(), 300_000);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`next build of ${app.name} failed (${String(code)}):\n${proc.logs().slice(-4000)}`);
}

export interface RunningApp {
  app: FixtureApp;
  baseUrl: string;
  logs(): string;
  /** The stream this server's register() said it records to. */
  streamUrl(): string | undefined;
  stop(): Promise<void>;
}

export async function startFixtureApp(app: FixtureApp, mode: 'dev' | 'prod', env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const proc: Managed = spawnManaged(NEXT_BIN, [mode === 'dev' ? 'dev' : 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: app.dir,
    env: nextEnv({ ...env, PORT: String(port) }),
    label: `next ${mode} (${app.name})`,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(`${baseUrl}/`, proc, 180_000);
  } catch (error) {
    await proc.stop();
    throw new Error(`${String(error)}\n--- ${app.name} logs ---\n${proc.logs().slice(-4000)}`);
  }
  return {
    app,
    baseUrl,
    logs: () => proc.logs(),
    streamUrl: () => streamUrlIn(proc.logs()),
    stop: () => proc.stop(),
  };
}
