// Free-port probe: bind a throwaway server to port 0 and read what the OS gave us.
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * `count` consecutive ports free right now (a stream's span from a first port must fit in them), starting at a
 * random port between 20000 and 50000.
 */
export async function freePortRange(count: number, host = '127.0.0.1'): Promise<number> {
  const bind = (port: number) =>
    new Promise<import('node:net').Server | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen({ host, port, exclusive: true }, () => resolve(server));
    });
  for (let tries = 0; tries < 50; tries++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    const held = await Promise.all(Array.from({ length: count }, (_, i) => bind(first + i)));
    await Promise.all(held.map((s) => s && new Promise((r) => s.close(r))));
    if (held.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
