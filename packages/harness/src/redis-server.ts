// A real redis-server of the test's own: a free port, persistence off (`--save '' --appendonly no`), stopped
// by its pid. `restart()` brings it back on the same port (the "Redis lost mid-run" tests).
import { spawnManaged, type Managed } from './processes';
import { freePort } from './ports';
import { sleep } from './wait';

export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM to its pid, SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Runs one command through a fresh connection (raw RESP reply). */
  command(args: string[]): Promise<unknown>;
}

async function waitUp(port: number, proc: Managed): Promise<void> {
  const { createClient } = await import('redis');
  for (let i = 0; i < 100; i++) {
    const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.sendCommand(['PING']);
      await client.quit();
      return;
    } catch {
      await client.destroy?.();
    }
    await sleep(100);
  }
  throw new Error(`redis-server on ${port} did not answer:\n${proc.logs().slice(-2000)}`);
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let proc: Managed;
  const spawn = async () => {
    proc = spawnManaged(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      label: `redis-server :${port}`,
    });
    await waitUp(port, proc);
  };
  await spawn();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    stop: () => proc.stop(),
    async restart() {
      await proc.stop();
      await spawn();
    },
    async command(args) {
      const { createClient } = await import('redis');
      const client = createClient({ url, socket: { reconnectStrategy: false } });
      client.on('error', () => {});
      await client.connect();
      try {
        return await client.sendCommand(args);
      } finally {
        await client.quit();
      }
    },
  };
}
