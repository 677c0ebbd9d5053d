// The POSTs that change things (/clear, /invalidate, /pause): a local process and the app's overlay (with
// the token) may; another web page, even on loopback, may not. /invalidate exists only when given.
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamServer } from '../../../src/stream/server.js';
import type { InvalidateBody } from '../../../src/stream/invalidate-route.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { memorySource, raw } from './doubles.js';

const servers: StreamServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const TOKEN = 'secret-token-123';

async function start(withInvalidate = true) {
  const source = memorySource();
  const asked: Array<{ body: InvalidateBody; origin: string }> = [];
  const server = await startStreamServer({
    source,
    port: 0,
    token: TOKEN,
    invalidate: withInvalidate
      ? async (body, origin) => {
          asked.push({ body, origin });
          return { tags: [body.tag ?? `_N_T_${body.path}`], mode: body.mode === 'expire' ? 'expire-now' : 'stale-while-revalidate' };
        }
      : undefined,
  });
  servers.push(server);
  return { server, source, asked, port: server.port! };
}

const json = { 'content-type': 'application/json' };

describe('commands', () => {
  it('a local process (no Origin) may clear and invalidate', async () => {
    const { port, source, asked } = await start();
    expect((await raw(port, '/clear', { method: 'POST' })).status).toBe(204);
    expect(source.cleared).toBe(1);
    const res = await raw(port, '/invalidate', { method: 'POST', headers: json, body: JSON.stringify({ tag: 'a', mode: 'expire' }) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ tags: ['a'], mode: 'expire-now' });
    expect(asked).toEqual([{ body: { tag: 'a', mode: 'expire' }, origin: 'from a local process' }]);
  });

  it('another loopback page without the token is refused, and nothing happens', async () => {
    const { port, source, asked, server } = await start();
    const origin = { origin: 'http://localhost:3001' };
    expect((await raw(port, '/clear', { method: 'POST', headers: origin })).status).toBe(403);
    const res = await raw(port, '/invalidate', { method: 'POST', headers: { ...origin, ...json }, body: JSON.stringify({ tag: 'a' }) });
    expect(res.status).toBe(403);
    expect(res.body).toContain("needs the app's token");
    expect(
      (
        await raw(port, '/invalidate', {
          method: 'POST',
          headers: { ...origin, ...json, 'x-cachescope-token': 'nope' },
          body: '{"tag":"a"}',
        })
      ).status,
    ).toBe(403);
    expect((await raw(port, '/pause', { method: 'POST', headers: origin })).status).toBe(403);
    expect(source.cleared).toBe(0);
    expect(asked).toEqual([]);
    expect(server.stats().refused).toBe(4);
  });

  it("the app's overlay, with the token, may; its preflight allows the token header", async () => {
    const { port, source, asked } = await start();
    const headers = { origin: 'http://localhost:3000', 'x-cachescope-token': TOKEN };
    const pre = await raw(port, '/invalidate', {
      method: 'OPTIONS',
      headers: {
        origin: headers.origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-cachescope-token, content-type',
      },
    });
    expect(pre.headers['access-control-allow-headers']).toContain('X-Cachescope-Token');
    expect((await raw(port, '/clear', { method: 'POST', headers })).status).toBe(204);
    const res = await raw(port, '/invalidate', {
      method: 'POST',
      headers: { ...headers, ...json },
      body: JSON.stringify({ path: '/pattern-1', type: 'page' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(source.cleared).toBe(1);
    expect(asked[0]).toEqual({ body: { path: '/pattern-1', type: 'page', mode: 'revalidate' }, origin: 'from http://localhost:3000' });
  });

  it("the stream's own page (same origin) may clear", async () => {
    const { port, source } = await start();
    expect((await raw(port, '/clear', { method: 'POST', headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(204);
    expect(source.cleared).toBe(1);
  });

  it('rejects malformed invalidations with 400, and answers 404 where invalidation is not offered (next start)', async () => {
    const { port, asked } = await start();
    for (const body of [
      '{',
      '{"tag":"a","path":"/b"}',
      '{}',
      '{"tag":"a","mode":"later"}',
      '{"tag":"a","type":"page"}',
      '{"path":"no-slash"}',
    ]) {
      expect((await raw(port, '/invalidate', { method: 'POST', headers: json, body })).status, body).toBe(400);
    }
    expect(asked).toEqual([]);
    const prod = await start(false);
    const res = await raw(prod.port, '/invalidate', { method: 'POST', headers: json, body: '{"tag":"a"}' });
    expect(res.status).toBe(404);
    expect((await raw(port, '/invalidate')).status).toBe(405);
  });
});
