import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHost, isLoopbackOrigin } from '../../../src/stream/security.js';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { memorySource, raw } from './doubles.js';

const servers: StreamServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start() {
  const source = memorySource();
  const server = await startStreamServer({ source, port: 0 });
  servers.push(server);
  return { server, source, port: server.port! };
}

describe('loopback predicates', () => {
  it('accepts only loopback hosts, with any port', () => {
    for (const h of ['localhost', 'localhost:7340', '127.0.0.1', '127.0.0.1:80', '[::1]', '[::1]:7340', 'LOCALHOST:1']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of [
      undefined,
      '',
      'evil.example',
      'evil.example:7340',
      'localhost.evil.example',
      '127.0.0.2',
      '0.0.0.0',
      '::1',
      'localhost:abc',
      '127.0.0.1.nip.io',
    ]) {
      expect(isLoopbackHost(h), String(h)).toBe(false);
    }
  });

  it('accepts only http(s) loopback origins', () => {
    for (const o of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost', 'https://localhost:3000']) {
      expect(isLoopbackOrigin(o), o).toBe(true);
    }
    for (const o of [
      'http://evil.example',
      'null',
      'file://',
      'http://localhost.evil.example:3000',
      'ftp://localhost',
      'http://localhost:3000/path',
    ]) {
      expect(isLoopbackOrigin(o), o).toBe(false);
    }
  });

  it('recognises loopback peer addresses', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});

describe('CORS and the DNS-rebinding defence', () => {
  it('reflects a loopback origin', async () => {
    const { port } = await start();
    const res = await raw(port, '/snapshot', { headers: { origin: 'http://localhost:3000' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers.vary).toBe('Origin');
  });

  it('answers a preflight from a loopback origin', async () => {
    const { port } = await start();
    const res = await raw(port, '/clear', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'POST',
        'access-control-request-private-network': 'true',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3000');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toContain('Last-Event-ID');
    expect(res.headers['access-control-allow-private-network']).toBe('true');
  });

  it('sends no CORS headers without an Origin (CLI, curl)', async () => {
    const { port } = await start();
    const res = await raw(port, '/snapshot');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign Origin with 403 (reads, clear, preflight and the stream)', async () => {
    const { server, source, port } = await start();
    source.push({});
    const headers = { origin: 'http://evil.example' };
    for (const [path, method] of [
      ['/snapshot', 'GET'],
      ['/clear', 'POST'],
      ['/clear', 'OPTIONS'],
      ['/events', 'GET'],
      ['/health', 'GET'],
    ] as const) {
      const res = await raw(port, path, { method, headers });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(source.cleared).toBe(0);
    expect(server.stats().refused).toBe(5);
  });

  it('refuses Origin: null', async () => {
    const { port } = await start();
    expect((await raw(port, '/snapshot', { headers: { origin: 'null' } })).status).toBe(403);
  });

  it('refuses a non-loopback Host (DNS rebinding) with 403', async () => {
    const { port, source } = await start();
    source.push({});
    const res = await raw(port, '/snapshot', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('"events"');
    expect((await raw(port, '/events', { headers: { host: `evil.example:${port}` } })).status).toBe(403);
    expect((await raw(port, '/snapshot', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect((await raw(port, '/snapshot', { headers: { host: `[::1]:${port}` } })).status).toBe(200);
  });

  it('refuses /ingest from a browser (any Origin)', async () => {
    const { port, source } = await start();
    const res = await raw(port, '/ingest', {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
      body: JSON.stringify({ pid: 1, events: [{ id: 1, type: 'fetch', ts: 1 }] }),
    });
    expect(res.status).toBe(403);
    expect(source.ingested).toEqual([]);
  });

  it('never binds a non-loopback host', async () => {
    const logs: string[] = [];
    const server = await startStreamServer({ source: memorySource(), port: 0, host: '0.0.0.0', log: (_l, m) => logs.push(m) });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(logs[0]).toMatch(/refusing to bind the stream to 0\.0\.0\.0/);
  });
});
