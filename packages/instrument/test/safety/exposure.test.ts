// Exposure: the stream server of a real `next start` binds loopback only and refuses foreign Host /
// Origin headers (DNS rebinding, cross-site pages); a production server without CACHESCOPE_ENABLED=1
// starts nothing (no port, no log line, no recording hooks compiled in); a production client bundle
// built without opting in carries no overlay code. (The same rules at unit level:
// test/unit/stream/security.test.ts.)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, ensureBuild, freePort, freshSession, getPage, startDemo, type DemoServer } from '@cachescope/harness';
import { PAGES, snapshotOf } from './support.js';

const OVERLAY_SRC = join(DEMO_DIR, '..', '..', 'packages', 'overlay', 'src');

/** Addresses of the sockets listening on `port` on this machine (/proc/net/tcp and tcp6). */
function listenersOn(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue; // LISTEN
      const [hexAddr, hexPort] = cols[1]!.split(':') as [string, string];
      if (parseInt(hexPort, 16) !== port) continue;
      if (hexAddr.length === 8) {
        out.push(
          hexAddr
            .match(/../g)!
            .reverse()
            .map((b) => parseInt(b, 16))
            .join('.'),
        );
      } else {
        const words = hexAddr.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
        const v6 = words
          .join('')
          .match(/.{4}/g)!
          .map((h) => parseInt(h, 16).toString(16));
        out.push(v6.join(':').replace(/(^|:)0(:0)+(:|$)/, '::'));
      }
    }
  }
  return out;
}

function connectable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function raw(
  port: number,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

const nonLoopbackAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((i): i is NonNullable<typeof i> => !!i && !i.internal)
    .map((i) => i.address);

describe('the stream server of a real next start', () => {
  let demo: DemoServer | undefined;
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    demo = await startDemo({ mode: 'prod', distDir: '.next-safety', env: { CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(port) } });
    await getPage(demo.baseUrl, '/pattern-1', freshSession('alice'));
  });
  afterAll(async () => {
    await demo?.stop();
  });

  it('listens on loopback only', async () => {
    const addresses = listenersOn(port);
    expect(addresses.length).toBeGreaterThan(0);
    for (const a of addresses) expect(['127.0.0.1', '::1']).toContain(a);
    expect(await connectable('127.0.0.1', port)).toBe(true);
    const others = nonLoopbackAddresses();
    if (others.length === 0) console.warn('[exposure] this machine has no non-loopback address: only the /proc check ran');
    for (const address of others) expect(await connectable(address, port), address).toBe(false);
  });

  it('refuses a non-loopback Host or Origin with 403, on every route', async () => {
    const local = `127.0.0.1:${port}`;
    for (const [path, method] of [
      ['/snapshot', 'GET'],
      ['/events', 'GET'],
      ['/health', 'GET'],
      ['/clear', 'POST'],
      ['/snapshot', 'OPTIONS'],
    ] as const) {
      const attempts: Record<string, string>[] = [
        { host: 'evil.example' },
        { host: `evil.example:${port}` },
        { host: `127.0.0.1.evil.example:${port}` },
        { host: local, origin: 'http://evil.example' },
        { host: local, origin: `http://127.0.0.1.evil.example:${port}` },
        { host: local, origin: 'null' },
      ];
      for (const headers of attempts) {
        expect((await raw(port, path, headers, method)).status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    // Loopback callers are served; a loopback page origin gets CORS.
    expect((await raw(port, '/health', { host: local })).status).toBe(200);
    const cors = await raw(port, '/health', { host: `localhost:${port}`, origin: 'http://localhost:3000' });
    expect(cors.status).toBe(200);
    expect(cors.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    // The refused POST /clear cleared nothing.
    expect((await snapshotOf(`http://${local}`)).events.length).toBeGreaterThan(0);
  });
});

/** Files under `dir` (recursively) whose text contains `needle`. */
function filesContaining(dir: string, needle: string, ext = /\.js$/): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (ext.test(name) && readFileSync(path, 'utf8').includes(needle)) found.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

describe('next start without CACHESCOPE_ENABLED=1', () => {
  // Neither opted in nor CACHESCOPE=off: the default a user gets.
  const DEFAULT_ENV = { CACHESCOPE: '', CACHESCOPE_ENABLED: '' };
  const DIST = '.next-safety-default';
  let demo: DemoServer | undefined;
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    demo = await startDemo({ mode: 'prod', distDir: DIST, env: { ...DEFAULT_ENV, CACHESCOPE_PORT: String(port) } });
    // The opted-in build, as the positive control of the bundle checks.
    await ensureBuild({ cacheComponents: true, distDir: '.next-safety', env: { CACHESCOPE_ENABLED: '1' } });
  });
  afterAll(async () => {
    await demo?.stop();
  });

  it('serves the app and starts nothing: no stream port, no log line', async () => {
    const alice = freshSession('alice');
    for (const path of Object.values(PAGES)) {
      const page = await getPage(demo!.baseUrl, path, alice);
      expect(page.status).toBe(200);
      expect(page.dashboards.length).toBeGreaterThan(0);
    }
    expect(listenersOn(port)).toEqual([]);
    expect(await connectable('127.0.0.1', port)).toBe(false);
    expect(demo!.logs()).not.toMatch(/cachescope/i);
  });

  it('compiled no recording hook in: no cache handler, no next/cache or next/headers shim', () => {
    const config = (dist: string) =>
      (JSON.parse(readFileSync(join(DEMO_DIR, dist, 'required-server-files.json'), 'utf8')) as { config: { cacheHandler?: string } })
        .config;
    expect(config(DIST).cacheHandler ?? '').not.toMatch(/cachescope|instrument/);
    expect(config('.next-safety').cacheHandler).toMatch(/incremental-handler/); // control
    for (const marker of ['shim.revalidate', 'shim.dynamic']) {
      expect(filesContaining(join(DEMO_DIR, DIST, 'server'), marker), marker).toEqual([]);
      expect(filesContaining(join(DEMO_DIR, '.next-safety', 'server'), marker).length, `${marker} (control)`).toBeGreaterThan(0);
    }
  });

  // The demo renders <CacheScope /> (components/CacheScopeOverlay.tsx): its opted-in build is the control.
  it('ships no overlay code to the browser (an opted-in build does)', () => {
    // Strings only the overlay's own code holds (its host element, badge classes, storage prefix, request grouping).
    const markers = ['data-cachescope', 'cs-badge-info', 'cachescope:', '(no request)'];
    for (const m of markers)
      expect(filesContaining(OVERLAY_SRC, m, /\.tsx?$/).length, `${m} is still an overlay string`).toBeGreaterThan(0);
    for (const m of markers) {
      expect(filesContaining(join(DEMO_DIR, DIST, 'static', 'chunks'), m), m).toEqual([]);
      expect(
        filesContaining(join(DEMO_DIR, '.next-safety', 'static', 'chunks'), m).length,
        `${m} (control: the opted-in build)`,
      ).toBeGreaterThan(0);
    }
  });
});
