// What call sites cost the request path of a real server: the demo under `next dev` and under
// `next start`, each with a preload that counts and times cachescope's stack captures
// (bench/lib/count-captures.cjs). After a warm-up, N rounds of the demo's pages: captures per request,
// their µs per request and per capture, beside the request's own time. Under `next start` a place is
// captured once (src/hooks/shims/call-site.ts), so after warm-up it should capture nothing; `next dev`
// captures every call (HMR moves code).
//
// Run: `node bench/captures.bench.mjs [--out file.json]` from packages/instrument (`pnpm bench:captures`:
// builds dist first). `next start` uses the throughput bench's build (apps/demo/.next-bench-cachescope)
// and is left out, saying so, when it is missing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend } from '@cachescope/harness/backend';
import { DEMO_DIR } from '@cachescope/harness/demo-dir';
import { freePort } from './lib/free-port.mjs';
import { round } from './lib/stats.mjs';

const args = process.argv.slice(2);
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
const ROUNDS = QUICK ? 3 : 20;
const WARMUP_ROUNDS = 3;
const PAGES = ['/pattern-1', '/broken', '/pattern-2', '/sledgehammer'];
const COOKIE = 'session=alice.0123456789abcdef';
const PRELOAD = fileURLToPath(new URL('./lib/count-captures.cjs', import.meta.url));
const START_DIST = '.next-bench-cachescope';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(mode) {
  const dir = mkdtempSync(join(tmpdir(), 'cachescope-captures-'));
  const backend = await startBackend({ port: 0 });
  const port = await freePort();
  const server = spawn(
    process.execPath,
    ['--require', PRELOAD, join(DEMO_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'), mode, '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: DEMO_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        DEMO_DIST_DIR: mode === 'dev' ? '.next-bench-captures-dev' : START_DIST,
        ...(mode === 'start' && { DEMO_CACHE_COMPONENTS: '1', CACHESCOPE_ENABLED: '1' }),
        BACKEND_URL: backend.url,
        CACHESCOPE_PORT: '0',
        CACHESCOPE_CAPTURES_DIR: dir,
      },
    },
  );
  let logs = '';
  server.stdout.on('data', (d) => (logs += d));
  server.stderr.on('data', (d) => (logs += d));
  try {
    const url = (path) => `http://127.0.0.1:${port}${path}`;
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error(`next ${mode} did not answer:\n${logs.slice(-2000)}`);
      if (
        await fetch(url('/')).then(
          (r) => r.text(),
          () => undefined,
        )
      )
        break;
      await sleep(200);
    }
    const round_ = async () => {
      for (const path of PAGES) {
        const res = await fetch(url(path), { headers: { cookie: COOKIE } });
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      }
    };
    const totals = async () => {
      await sleep(500); // each process and thread of the server writes its totals every 200 ms
      const each = readdirSync(dir).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
      return { count: each.reduce((n, t) => n + t.count, 0), ns: each.reduce((n, t) => n + t.ns, 0) };
    };
    for (let i = 0; i < WARMUP_ROUNDS; i++) await round_();
    const before = await totals();
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) await round_();
    const ms = performance.now() - started;
    const after = await totals();
    if (!/cachescope: recording/.test(logs)) throw new Error(`cachescope is not recording under next ${mode}:\n${logs.slice(-2000)}`);
    const requests = ROUNDS * PAGES.length;
    const captures = after.count - before.count;
    const captureUs = (after.ns - before.ns) / 1000;
    return {
      mode,
      requests,
      warmupCaptures: before.count,
      capturesPerRequest: round(captures / requests, 2),
      captureUsPerRequest: round(captureUs / requests, 1),
      usPerCapture: captures ? round(captureUs / captures, 1) : undefined,
      requestMs: round(ms / requests, 1),
      sharePercent: round((100 * captureUs) / 1000 / ms, 3),
    };
  } finally {
    server.kill('SIGINT');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [await measure('dev')];
if (existsSync(join(DEMO_DIR, START_DIST, 'BUILD_ID'))) rows.push(await measure('start'));
else console.error(`captures: no build in apps/demo/${START_DIST}, next start left out (run the throughput bench first: pnpm bench)`);
for (const r of rows)
  console.log(
    `  next ${r.mode}: ${r.capturesPerRequest} captures per request after warm-up (${r.warmupCaptures} in warm-up), ${r.captureUsPerRequest} µs per request${r.usPerCapture === undefined ? '' : ` (${r.usPerCapture} µs each)`} of ${r.requestMs} ms: ${r.sharePercent} %`,
  );
if (outFile) writeFileSync(outFile, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, rows }, null, 2));
