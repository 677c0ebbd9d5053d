// An origin that counts: GET /data?app=NAME answers { n } (the NAME's request count so far). The ground
// truth for tests of apps other than the demo (the demo has its backend's hit counters).
import { createServer } from 'node:http';

export interface CountingOrigin {
  url: string;
  hits: Record<string, number>;
  close(): Promise<void>;
}

export async function startCountingOrigin(): Promise<CountingOrigin> {
  const hits: Record<string, number> = {};
  const server = createServer((req, res) => {
    const app = new URL(req.url ?? '/', 'http://origin').searchParams.get('app') ?? '?';
    hits[app] = (hits[app] ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: hits[app] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
