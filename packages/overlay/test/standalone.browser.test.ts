// @vitest-environment node
// "Open in a window", end to end in Chromium: the instrument's real stream server (its built dist, as an app
// runs it), fed by a small in-test source with the events captured from apps/demo, serves the standalone page
// at `/` and this package's bundle (dist/standalone.js, resolved as `@cachescope/overlay/standalone` from the
// working directory) at `/ui/standalone.js`. The page streams from its own origin under a CSP of 'self'.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheScopeEvent, Snapshot } from '../src/store/types.js';
import { loadDemoSnapshot } from './support/fixture.js';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(PKG, 'dist', 'standalone.js');
const ARTIFACTS = join(PKG, 'test-artifacts');

/** The parts of the instrument's stream server this test uses (it is not a public export of the package). */
interface StreamServerLike {
  port: number | null;
  url: string | null;
  close(): Promise<void>;
}
interface StreamSourceLike {
  since(lastId: number): readonly CacheScopeEvent[];
  lastId(): number;
  snapshot(): Partial<Snapshot>;
  clear(): void;
  subscribe(listener: (batch: readonly CacheScopeEvent[]) => void): () => void;
  findings(): readonly { id: string }[];
}
type StartStreamServer = (options: { source: StreamSourceLike; port: number }) => Promise<StreamServerLike>;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

/** dist/standalone.js as `pnpm build` makes it, rebuilt first when src/ changed since. */
function ensureBundle(): void {
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newestMtime(join(PKG, 'src'))) return;
  const run = spawnSync(process.execPath, [join(PKG, 'scripts', 'bundle-standalone.mjs')], { cwd: PKG, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bundling the standalone window failed:\n${run.stdout}\n${run.stderr}`);
}

async function loadStreamServer(): Promise<StartStreamServer> {
  const instrument = dirname(createRequire(join(PKG, 'package.json')).resolve('@cachescope/instrument/package.json'));
  const entry = join(instrument, 'dist', 'stream', 'index.js');
  if (!existsSync(join(instrument, 'dist', 'stream', 'ui.js'))) {
    throw new Error(`${entry} has no standalone window routes: build @cachescope/instrument first (pnpm build)`);
  }
  return ((await import(pathToFileURL(entry).href)) as { startStreamServer: StartStreamServer }).startStreamServer;
}

/** A ring-buffer source holding the demo's captured events; the server's analysis is the captured one. */
function demoSource(fixture: Snapshot) {
  let events: CacheScopeEvent[] = [];
  let next = 1;
  let cleared = 0;
  const listeners = new Set<(batch: readonly CacheScopeEvent[]) => void>();
  const source: StreamSourceLike & { push(batch: readonly CacheScopeEvent[]): void; cleared(): number } = {
    push(batch) {
      const added = batch.map((e) => ({ ...e, id: next++ }));
      events.push(...added);
      for (const listener of listeners) listener(added);
    },
    since: (lastId) => events.filter((e) => e.id > lastId),
    lastId: () => next - 1,
    snapshot: () => ({
      schemaVersion: fixture.schemaVersion,
      generatedAt: Date.now(),
      events: [...events],
      ...(cleared === 0
        ? { tags: fixture.tags, revalidations: fixture.revalidations, findings: fixture.findings, index: fixture.index }
        : { tags: [], revalidations: [], findings: [] }),
      dropped: 0,
    }),
    clear() {
      events = [];
      cleared++;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    findings: () => (cleared === 0 ? fixture.findings : []),
    cleared: () => cleared,
  };
  return source;
}

describe('the standalone window in Chromium', () => {
  const fixture = loadDemoSnapshot();
  const source = demoSource(fixture);
  const LIVE = 8; // events pushed after the page is open, through the SSE stream (two new requests)
  let server: StreamServerLike;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(ARTIFACTS, { recursive: true });
    source.push(fixture.events.slice(0, -LIVE));
    const startStreamServer = await loadStreamServer();
    server = await startStreamServer({ source, port: 0 });
    expect(server.port).toBeGreaterThan(0);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the page and the bundle with a CSP of self', async () => {
    const res = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(res?.status()).toBe(200);
    const headers = res!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(headers['content-security-policy']).toMatch(/style-src 'self'(;|$)/);
    expect(headers['cache-control']).toBe('no-store');
    const script = await page.request.get(`http://127.0.0.1:${server.port}/ui/standalone.js`);
    expect(script.headers()['content-type']).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe(readFileSync(BUNDLE, 'utf8'));
  }, 60_000);

  it('shows the same UI full-window, streaming from its own origin', async () => {
    const tabs = page.getByRole('tab');
    await expect.poll(() => tabs.allTextContents(), { timeout: 15_000 }).toHaveLength(4);
    for (const name of ['Requests', 'Tags', 'Revalidations', 'Findings']) {
      expect(await page.getByRole('tab', { name }).isVisible(), name).toBe(true);
    }
    // the panel fills the window, always open: no floating button, no resize handle, no position picker
    const panel = page.getByTestId('cachescope-panel');
    const box = (await panel.boundingBox())!;
    expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 800 });
    expect(await page.getByTestId('cachescope-toggle').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Open in a window' }).count()).toBe(0);
    expect(await page.getByLabel('Button position').count()).toBe(0);
    // styles apply under style-src 'self' (adopted stylesheet): the header has its background
    const headerBg = await page.locator('.cs-header').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(headerBg).not.toBe('rgba(0, 0, 0, 0)');

    // the snapshot, then live events over SSE
    await page.getByRole('tab', { name: 'Requests' }).click();
    await page.locator('[data-testid="cachescope-call-row"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('cachescope-status').textContent(), { timeout: 15_000 }).toContain('live');
    source.push(fixture.events.slice(-LIVE));
    // the newest call among them (ids are renumbered 1..n in push order; the fixture's are already 1..n)
    const CALLS = new Set(['fetch', 'unstable-cache', 'use-cache', 'revalidate-call']);
    const lastId = fixture.events.filter((e) => CALLS.has(e.type)).at(-1)!.id;
    expect(lastId).toBeGreaterThan(fixture.events.length - LIVE);
    await expect
      .poll(async () => page.evaluate((id) => document.querySelectorAll(`[data-event-id="${id}"]`).length, lastId), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'standalone-requests.png') });
  }, 60_000);

  it('shows the NO-OP revalidation and the ORPHANED tag', async () => {
    await page.getByRole('tab', { name: 'Revalidations' }).click();
    // the demo's broken pattern: revalidateTag("dashboard-data") matched nothing
    const noop = page.locator('.cs-card').filter({ hasText: 'revalidateTag("dashboard-data", "max")' }).filter({ hasText: 'NO-OP' });
    await noop.first().waitFor({ timeout: 10_000 });
    expect(await noop.count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'standalone-revalidations.png') });

    await page.getByRole('tab', { name: 'Tags' }).click();
    const orphaned = page.getByRole('row').filter({ hasText: 'dashboard-data' }).filter({ hasText: 'ORPHANED' });
    await orphaned.first().waitFor({ timeout: 10_000 });
    expect(await orphaned.first().isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'standalone-tags.png') });

    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByText('dashboard-data').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'standalone-findings.png') });
  }, 60_000);

  it('Escape does not close the window panel; Clear clears the server from the same origin', async () => {
    await page.locator('.cs-body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('cachescope-panel').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Clear session (also clears the server)' }).click();
    await expect.poll(() => source.cleared(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="cachescope-call-row"]').count(), { timeout: 10_000 }).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
