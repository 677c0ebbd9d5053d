#!/usr/bin/env node
/**
 * The store + render benchmark in Chromium (the happy-dom one in store-render.bench.ts is the self-contained
 * variant). Builds bench/browser with Vite twice (React development build, as under `next dev`, and production),
 * serves each on a loopback port, runs it in headless Chromium, prints the figures and writes
 * test-artifacts/bench-chromium-store-render.json.
 *
 *   node bench/chromium-store-render.bench.mjs
 *
 * Needs: Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and `playwright-core` (resolved from this package,
 * else from apps/demo, which has it); Vite is resolved through vitest (a dev dependency here).
 */
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_DIR } from '@cachescope/harness/demo-dir';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const require = createRequire(join(pkg, 'package.json'));

function load(name, ...fallbackFrom) {
  for (const from of [pkg, ...fallbackFrom]) {
    try {
      return createRequire(join(from, 'package.json'))(name);
    } catch {
      /* try the next place */
    }
  }
  throw new Error(`cannot resolve ${name}`);
}

const { chromium } = load('playwright-core', DEMO_DIR);
const vite = await import(createRequire(require.resolve('vitest/package.json')).resolve('vite'));

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
function serve(dir) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    try {
      const body = readFileSync(join(dir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const results = {};
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-gpu'] });
const chromiumVersion = browser.version();
try {
  for (const mode of ['development', 'production']) {
    const outDir = join(pkg, 'test-artifacts', `bench-browser-${mode}`);
    await vite.build({
      root: join(here, 'browser'),
      mode,
      configFile: false,
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, minify: mode === 'production' },
      define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    });
    const server = await serve(outDir);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const handle = await page.waitForFunction(() => window.__benchResult, null, { timeout: 300_000 });
    results[`React ${mode}`] = await handle.jsonValue();
    await page.close();
    server.close();
  }
} finally {
  await browser.close();
}

mkdirSync(join(pkg, 'test-artifacts'), { recursive: true });
writeFileSync(
  join(pkg, 'test-artifacts', 'bench-chromium-store-render.json'),
  `${JSON.stringify({ held: 10_000, batch: 500, goalMedianMs: 16, chromium: chromiumVersion, results }, null, 2)}\n`,
);
for (const [mode, r] of Object.entries(results)) {
  console.log(`\nChromium, ${mode} (10,000 events held, batches of 500), ms; rows in the DOM: ${r.rowsInDom}`);
  console.table({ 'store + timeline commit': r['store + timeline commit'], 'until next frame': r['until next frame'] });
}
