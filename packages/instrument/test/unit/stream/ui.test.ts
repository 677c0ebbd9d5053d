// The standalone window routes (GET /, GET /ui/standalone.js) on a real stream server: the overlay's bundle is
// resolved from the app's directory (process.cwd()), here a temporary app with or without the package.
// pnpm's bin shims put the workspace's hoisted store on NODE_PATH (where the real overlay is), so the
// tests that need it absent resolve without NODE_PATH.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { OVERLAY_MISSING, UI_CSP, locateStandaloneBundle } from '../../../src/stream/ui.js';
import { memorySource, raw } from './doubles.js';

const BUNDLE = 'console.log("cachescope standalone test bundle");\n';
let root: string;
let withOverlay: string;
let withoutOverlay: string;
let unbuilt: string;

function app(dir: string, overlay: 'installed' | 'missing' | 'unbuilt'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'some-app', private: true }));
  if (overlay === 'missing') return dir;
  const pkg = join(dir, 'node_modules', '@cachescope', 'overlay');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: '@cachescope/overlay',
      type: 'module',
      exports: { './standalone': { types: './dist/standalone.d.ts', default: './dist/standalone.js' } },
    }),
  );
  if (overlay === 'installed') writeFileSync(join(pkg, 'dist', 'standalone.js'), BUNDLE);
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachescope-ui-'));
  withOverlay = app(join(root, 'with'), 'installed');
  withoutOverlay = app(join(root, 'without'), 'missing');
  unbuilt = app(join(root, 'unbuilt'), 'unbuilt');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Node's global lookup paths without NODE_PATH, for the duration of one test. */
function withoutNodePath(): void {
  const saved = process.env.NODE_PATH;
  if (saved === undefined) return;
  const initPaths = (Module as unknown as { _initPaths(): void })._initPaths;
  delete process.env.NODE_PATH;
  initPaths();
  restore.push(() => {
    process.env.NODE_PATH = saved;
    initPaths();
  });
}
const restore: Array<() => void> = [];

const servers: StreamServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const undo of restore.splice(0)) undo();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serverIn(appDir: string): Promise<number> {
  vi.spyOn(process, 'cwd').mockReturnValue(appDir);
  const server = await startStreamServer({ source: memorySource(), port: 0 });
  servers.push(server);
  return server.port!;
}

function expectUiHeaders(headers: Record<string, string | string[] | undefined>) {
  expect(headers['content-security-policy']).toBe(UI_CSP);
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

describe('standalone window routes', () => {
  it('resolves the bundle from the app directory, through the package exports', () => {
    expect(locateStandaloneBundle(withOverlay)).toBe(join(withOverlay, 'node_modules', '@cachescope', 'overlay', 'dist', 'standalone.js'));
    withoutNodePath();
    expect(locateStandaloneBundle(withoutOverlay)).toBeNull();
  });

  it('serves the page and the bundle when @cachescope/overlay is installed in the app', async () => {
    const port = await serverIn(withOverlay);
    for (const path of ['/', '/ui', '/ui/']) {
      const page = await raw(port, path);
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expectUiHeaders(page.headers);
      expect(page.body).toContain('<div id="root"></div>');
      expect(page.body).toContain('<script type="module" src="/ui/standalone.js"></script>');
    }
    const script = await raw(port, '/ui/standalone.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expectUiHeaders(script.headers);
    expect(script.body).toBe(BUNDLE);
    // the CSP keeps everything on the page's own origin and forbids framing
    expect(UI_CSP).toMatch(/default-src 'self'/);
    expect(UI_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(UI_CSP).toMatch(/connect-src 'self'(;|$)/);
    expect(UI_CSP).toMatch(/frame-ancestors 'none'/);
    // the stream's own routes are unchanged
    expect((await raw(port, '/health')).status).toBe(200);
    expect((await raw(port, '/nope')).status).toBe(404);
  });

  it('answers 404 saying what to install when the overlay is not there', async () => {
    withoutNodePath();
    const port = await serverIn(withoutOverlay);
    const page = await raw(port, '/');
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expectUiHeaders(page.headers);
    expect(page.body).toContain(OVERLAY_MISSING);
    expect(OVERLAY_MISSING).toBe('install @cachescope/overlay to use the standalone window');
    const script = await raw(port, '/ui/standalone.js');
    expect(script.status).toBe(404);
    expect(script.body).toContain(OVERLAY_MISSING);
  });

  it('answers 404 for the bundle when the package is there but its bundle is not built', async () => {
    withoutNodePath();
    const port = await serverIn(unbuilt);
    expect((await raw(port, '/ui/standalone.js')).status).toBe(404);
    expect((await raw(port, '/')).status).toBe(404);
  });

  it('refuses a non-loopback Host or Origin, and methods other than GET', async () => {
    const port = await serverIn(withOverlay);
    for (const path of ['/', '/ui/standalone.js']) {
      const rebound = await raw(port, path, { headers: { host: `evil.example:${port}` } });
      expect(rebound.status, path).toBe(403);
      expect(rebound.body).not.toContain('standalone test bundle');
      expect((await raw(port, path, { headers: { origin: 'http://evil.example' } })).status, path).toBe(403);
      expect((await raw(port, path, { headers: { host: `localhost:${port}` } })).status, path).toBe(200);
    }
    const post = await raw(port, '/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });
});
