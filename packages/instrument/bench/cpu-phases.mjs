// Server CPU that recording costs, measured where throughput is decided: the `next start` main thread.
// One cachescope server of the demo (the throughput bench's build) runs under `node --cpu-prof`; a
// closed-loop load drives it while recording alternates on / paused (POST /resume, POST /pause) in
// short ABBA phases. Each profile sample is assigned to the phase it fell in, so both sides share the
// process, its heap, its JIT and the machine's moment: drift that swamps a two-server comparison on a
// shared VM cancels here. Reports main-thread busy µs per request on vs paused, and where the difference
// goes. (What it leaves out: the pass-through wrappers, present in both phases; see the throughput bench.)
//
// Run: `node bench/cpu-phases.mjs [--out file.json]` from packages/instrument, after the throughput bench
// built `apps/demo/.next-bench-cachescope` (pnpm bench runs it in that order).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round } from './lib/stats.mjs';

const args = process.argv.slice(2);
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
const PAIRS = Number(process.env.CACHESCOPE_BENCH_CPU_PAIRS ?? (QUICK ? 3 : 16));
const PHASE_MS = Number(process.env.CACHESCOPE_BENCH_CPU_PHASE_MS ?? 2_000);
/** Samples this soon after a switch belong to neither side (the previous phase's flush, GC). */
const SETTLE_MS = 100;
const CONCURRENCY = 16;
const PATHS = ['/pattern-1', '/broken', '/pattern-2'];
const COOKIE = 'session=alice.0123456789abcdef';

const DEMO_DIR = fileURLToPath(new URL('../../../apps/demo/', import.meta.url));
const DIST = '.next-bench-cachescope';
if (!existsSync(join(DEMO_DIR, DIST, 'BUILD_ID'))) {
  console.error(`cpu-phases: no build in apps/demo/${DIST}; run the throughput bench first (pnpm bench)`);
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { startBackend } = await import(new URL('../../../apps/demo/backend/backend.mjs', import.meta.url).href);
const backend = await startBackend({ port: 0 });
const [port, streamPort] = [await freePort(), await freePort()];
const profileDir = mkdtempSync(join(tmpdir(), 'cachescope-cpu-'));
const server = spawn(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, join(DEMO_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
  {
    cwd: DEMO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      DEMO_DIST_DIR: DIST,
      DEMO_CACHE_COMPONENTS: '1',
      BACKEND_URL: backend.url,
      CACHESCOPE_ENABLED: '1',
      CACHESCOPE_PORT: String(streamPort),
    },
  },
);
let logs = '';
server.stdout.on('data', (d) => (logs += d));
server.stderr.on('data', (d) => (logs += d));

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const get = (path) =>
  new Promise((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, path, headers: { cookie: COOKIE, accept: 'text/html' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
async function load(ms) {
  let ok = 0;
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; Date.now() < end; i++) if ((await get(PATHS[i % PATHS.length])) === 200) ok++;
    }),
  );
  return ok;
}
async function setRecording(on) {
  const res = await fetch(`http://127.0.0.1:${streamPort}/${on ? 'resume' : 'pause'}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`POST /${on ? 'resume' : 'pause'} answered ${res.status}`);
}

let result;
try {
  for (let t = Date.now(); ; await sleep(250)) {
    if ((await get('/pattern-1').catch(() => 0)) === 200) break;
    if (Date.now() - t > 60_000) throw new Error(`next start did not answer:\n${logs.slice(-3000)}`);
  }
  await load(QUICK ? 2_000 : 5_000); // warm-up: JIT, caches
  const phases = [];
  for (let r = 0; r < PAIRS * 2; r++) {
    const on = r % 4 === 0 || r % 4 === 3; // on, paused, paused, on, …
    await setRecording(on);
    const start = Date.now();
    const requests = await load(PHASE_MS);
    phases.push({ on, start, end: Date.now(), requests });
  }
  await setRecording(true);
  const stoppedAt = Date.now() * 1000;
  server.kill('SIGINT'); // --cpu-prof writes the profile on exit
  await new Promise((r) => server.once('exit', r));
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile written:\n${logs.slice(-3000)}`);
  result = attribute(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), phases, stoppedAt);
} finally {
  if (server.exitCode === null) server.kill('SIGKILL');
  agent.destroy();
  await backend.close();
  rmSync(profileDir, { recursive: true, force: true });
}

/** Busy (non-idle) main-thread time per request in each side, and per function the difference. */
function attribute(profile, phases, stoppedAtEpochUs) {
  // The profile's clock is monotonic; its end is (within a few ms) the moment SIGINT was sent.
  const offsetUs = stoppedAtEpochUs - profile.endTime;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const side = (on) => ({ busyUs: 0, requests: 0, keptMs: 0, fns: new Map() });
  const sides = { on: side(true), paused: side(false) };
  for (const ph of phases) {
    const s = ph.on ? sides.on : sides.paused;
    s.requests += ph.requests * (1 - SETTLE_MS / (ph.end - ph.start)); // requests of the kept part, pro rata
  }
  let t = profile.startTime;
  let pi = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const epochMs = (t + offsetUs) / 1000;
    while (pi < phases.length && epochMs > phases[pi].end) pi++;
    if (pi >= phases.length) break;
    const ph = phases[pi];
    if (epochMs < ph.start + SETTLE_MS) continue;
    const frame = byId.get(profile.samples[i]).callFrame;
    if (frame.functionName === '(idle)') continue;
    const s = ph.on ? sides.on : sides.paused;
    s.busyUs += profile.timeDeltas[i];
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*\/(chunks|node_modules)\//, '')}:${frame.lineNumber}`;
    s.fns.set(key, (s.fns.get(key) ?? 0) + profile.timeDeltas[i]);
  }
  const perRequest = (s, us) => us / s.requests;
  const keys = new Set([...sides.on.fns.keys(), ...sides.paused.fns.keys()]);
  const top = [...keys]
    .map((k) => ({ fn: k, addedUsPerRequest: round(perRequest(sides.on, sides.on.fns.get(k) ?? 0) - perRequest(sides.paused, sides.paused.fns.get(k) ?? 0), 1) }))
    .sort((a, b) => b.addedUsPerRequest - a.addedUsPerRequest)
    .slice(0, 12);
  const onUs = perRequest(sides.on, sides.on.busyUs);
  const pausedUs = perRequest(sides.paused, sides.paused.busyUs);
  const pairRatios = [];
  for (let i = 0; i + 1 < phases.length; i += 2) {
    const [a, b] = [phases[i], phases[i + 1]];
    pairRatios.push(a.on ? a.requests / b.requests : b.requests / a.requests);
  }
  return {
    node: process.version,
    pairs: PAIRS,
    phaseMs: PHASE_MS,
    requests: { on: Math.round(sides.on.requests), paused: Math.round(sides.paused.requests) },
    busyUsPerRequest: { on: round(onUs, 0), paused: round(pausedUs, 0) },
    addedUsPerRequest: round(onUs - pausedUs, 0),
    addedPercent: round((100 * (onUs - pausedUs)) / pausedUs, 2),
    /** A CPU-bound server's throughput ratio follows from the main thread's time per request. */
    predictedThroughputRatio: round(pausedUs / onUs, 3),
    requestPairRatioMedian: round(median(pairRatios), 3),
    top,
    method:
      'one next start under --cpu-prof, closed-loop load c=16; recording on / paused in ABBA phases; profile samples assigned to phases by time (first 100 ms of a phase dropped); main-thread busy µs per request',
  };
}

if (outFile) writeFileSync(outFile, JSON.stringify(result, null, 2));
else console.log(JSON.stringify(result, null, 2));
process.stderr.write(
  `  cpu phases: main thread ${result.busyUsPerRequest.on} µs/request recording vs ${result.busyUsPerRequest.paused} paused: +${result.addedUsPerRequest} µs (+${result.addedPercent} %), predicted throughput ratio ${result.predictedThroughputRatio}\n`,
);
