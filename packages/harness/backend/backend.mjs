// The demo's "real" backend: per-user JSON, and a hit counter per pattern and user that is the
// ground truth every test compares against. Plain node:http, no dependencies.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

export const USERS = ['alice', 'bob', 'carol'];

/** A session cookie value is `<user>.<opaque token>`; anything else is "anonymous". */
export function userFromSession(value) {
  const user = typeof value === 'string' ? value.split('.')[0] : '';
  return USERS.includes(user) ? user : 'anonymous';
}

function sessionFromCookieHeader(header) {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'session') return rest.join('=');
  }
  return undefined;
}

export function createCounters() {
  /** @type {Record<string, Record<string, number>>} pattern -> user -> hits */
  let hits = {};
  return {
    hit(pattern, user) {
      hits[pattern] ??= {};
      const byUser = hits[pattern];
      byUser[user] = (byUser[user] ?? 0) + 1;
      return byUser[user];
    },
    snapshot() {
      let total = 0;
      for (const byUser of Object.values(hits)) for (const n of Object.values(byUser)) total += n;
      return { hits: structuredClone(hits), total };
    },
    reset() {
      hits = {};
    },
  };
}

/**
 * `/blob` (the odd-input routes under app/odd, safety tests): GET streams `bytes` deterministic bytes
 * (`binary=1`: every byte value; else text) in `chunks` writes; POST drains the body and answers its
 * length and sha256. Hits count under pattern `blob` / `blob-post`, user `anonymous`.
 */
function serveBlob(req, res, url, counters) {
  if (req.method === 'POST') {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      counters.hit('blob-post', 'anonymous');
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
    });
    return;
  }
  req.resume();
  const total = Math.min(Math.max(Number(url.searchParams.get('bytes')) || 1024, 0), 64 * 1024 * 1024);
  const chunks = Math.min(Math.max(Number(url.searchParams.get('chunks')) || 1, 1), 1000);
  const binary = url.searchParams.get('binary') === '1';
  const body = Buffer.alloc(total);
  const text = Buffer.from('cachescope odd body\n');
  for (let i = 0; i < total; i++) body[i] = binary ? (i * 31 + 7) & 255 : text[i % text.length];
  counters.hit('blob', 'anonymous');
  res.writeHead(200, { 'content-type': binary ? 'application/octet-stream' : 'text/plain', 'cache-control': 'no-store' });
  const size = Math.ceil(total / chunks);
  let at = 0;
  const next = () => {
    if (at >= total) return void res.end();
    res.write(body.subarray(at, at + size));
    at += size;
    setTimeout(next, 1);
  };
  next();
}

/**
 * Starts the backend on 127.0.0.1. `port: 0` picks a free port.
 * @returns {Promise<{url: string, port: number, stats: () => any, reset: () => void, close: () => Promise<void>}>}
 */
export async function startBackend({ port = 0, latencyMs = 5 } = {}) {
  const counters = createCounters();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (url.pathname === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify(counters.snapshot()));
      return;
    }
    if (url.pathname === '/__reset' && req.method === 'POST') {
      counters.reset();
      res.writeHead(204, cors).end();
      return;
    }
    if (url.pathname === '/dashboard') {
      // Drain the body (the article's fetch is a POST) before answering.
      req.resume();
      req.on('end', () => {
        const pattern = url.searchParams.get('pattern') ?? 'unknown';
        const user = userFromSession(sessionFromCookieHeader(req.headers.cookie));
        const fetchNo = counters.hit(pattern, user);
        // `slowBodyMs`: the body's second half comes that much later (headers first, as a slow origin
        // streams), so whatever waits for the whole body (Next's cache write) lands well after the response.
        const slowBodyMs = Math.min(Number(url.searchParams.get('slowBodyMs')) || 0, 5_000);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          const body = JSON.stringify({
            user,
            pattern,
            fetchNo,
            servedAt: new Date().toISOString(),
            widgets: [
              { id: 'open-tickets', label: 'Open tickets', value: (fetchNo * 7 + user.length) % 50 },
              { id: 'deploys', label: 'Deploys this week', value: (fetchNo * 3 + user.length) % 20 },
            ],
          });
          if (!slowBodyMs) return void res.end(body);
          res.write(body.slice(0, body.length >> 1));
          setTimeout(() => res.end(body.slice(body.length >> 1)), slowBodyMs);
        }, latencyMs);
      });
      return;
    }
    if (url.pathname === '/blob') {
      serveBlob(req, res, url, counters);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    stats: () => counters.snapshot(),
    reset: () => counters.reset(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
