// Throughput of the demo under `next start`, with and without cachescope, in the same run: two prod
// builds (plain: CACHESCOPE=off, withCacheScope/register bypassed; cachescope: CACHESCOPE_ENABLED=1 at
// build and start), both servers up at once, a closed-loop load generator (node:http keep-alive,
// fixed concurrency) hitting a mix of pages as one signed-in user, rounds alternating
// A,B,B,A,A,B… so drift on a shared machine hits both sides alike. Besides req/s and latency it reads
// each server's CPU time per request from /proc (steadier than req/s when other processes compete).
// "With cachescope" is the demo exactly as built with CACHESCOPE_ENABLED=1, i.e. including what the
// demo's layout adds then (the production overlay: see the page-bytes figure).
//
// A measurement, not a test: run by `pnpm bench` (bench/run.mjs) through vitest's bench-throughput project,
// never by `pnpm test`. Writes its figures to $CACHESCOPE_BENCH_OUT (JSON).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { test } from 'vitest';
import { DEMO_DIR, asUser, ensureBuild, freePort, startDemo, type DemoServer } from '@cachescope/harness';

const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
// 10 rounds of 5 s per side in ABBA order (100 s of load in all): short rounds and more pairs make the
// estimate less sensitive to other processes' bursts on a shared machine than a few long rounds. The
// verdict is the median of the A/B pair ratios: each pair ran back to back under the same conditions,
// so drift between pairs (the machine's other work) cancels out; the ratio of the two sides' medians is
// reported beside it.
const ROUND_SECONDS = Number(process.env.CACHESCOPE_BENCH_TP_SECONDS ?? (QUICK ? 3 : 5));
const ROUNDS = Number(process.env.CACHESCOPE_BENCH_TP_ROUNDS ?? (QUICK ? 2 : 10));
const WARMUP_SECONDS = QUICK ? 2 : 6;
const CONCURRENCY = Number(process.env.CACHESCOPE_BENCH_TP_CONCURRENCY ?? 16);
const PATHS = ['/pattern-1', '/broken', '/pattern-2'];
const GOAL_RATIO = 0.98;
/** In-process A/B (recording on / paused in the cachescope server): pairs of short phases. */
const TOGGLE_PAIRS = Number(process.env.CACHESCOPE_BENCH_TOGGLE_PAIRS ?? (QUICK ? 2 : 16));
const TOGGLE_SECONDS = Number(process.env.CACHESCOPE_BENCH_TOGGLE_SECONDS ?? (QUICK ? 1 : 2));

/**
 * A/A control (CACHESCOPE_BENCH_TP_AA=1): both servers run the plain build, so the pair ratios show the
 * spread this machine gives two identical servers, the floor under any with / without figure.
 */
const AA = process.env.CACHESCOPE_BENCH_TP_AA === '1';

const PLAIN = { id: 'plain', distDir: '.next-bench-plain', buildEnv: { CACHESCOPE: 'off' } };
const WITH = { id: 'cachescope', distDir: '.next-bench-cachescope', buildEnv: { CACHESCOPE_ENABLED: '1' } };
type Variant = typeof PLAIN | typeof WITH;

// ---------------------------------------------------------------------------------------------
// Builds: reused while nothing they are made of changed (the demo sources, the workspace packages'
// dist/, Next's version); CACHESCOPE_BENCH_REBUILD=1 forces them.

const REPO = join(DEMO_DIR, '..', '..');
const FINGERPRINT_FILE = '.bench-fingerprint';

function addTree(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.next') || name === 'test' || name === 'test-artifacts') continue;
      addTree(hash, join(path, name));
    }
    return;
  }
  if (/\.(map|tsbuildinfo)$/.test(path)) return;
  hash.update(path.slice(REPO.length)).update(readFileSync(path));
}

function fingerprint(variant: Variant): string {
  const hash = createHash('sha256').update(JSON.stringify(variant.buildEnv));
  for (const part of ['app', 'lib', 'components', 'next.config.ts', 'instrumentation.ts', 'package.json', 'tsconfig.json']) {
    addTree(hash, join(DEMO_DIR, part));
  }
  for (const pkg of ['instrument', 'overlay']) addTree(hash, join(REPO, 'packages', pkg, 'dist'));
  addTree(hash, join(DEMO_DIR, 'node_modules', 'next', 'package.json'));
  return hash.digest('hex');
}

async function prepareBuild(variant: Variant): Promise<{ built: boolean; ms: number }> {
  const want = fingerprint(variant);
  const file = join(DEMO_DIR, variant.distDir, FINGERPRINT_FILE);
  const have = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (have === want && existsSync(join(DEMO_DIR, variant.distDir, 'BUILD_ID')) && process.env.CACHESCOPE_BENCH_REBUILD !== '1') {
    return { built: false, ms: 0 };
  }
  const result = await ensureBuild({ cacheComponents: true, distDir: variant.distDir, env: variant.buildEnv, policy: 'always' });
  writeFileSync(file, want);
  return { built: result.built, ms: result.ms };
}

// ---------------------------------------------------------------------------------------------
// Server CPU time, from /proc: less sensitive to other processes than req/s (they take wall time
// from the server, not CPU time per request). The harness records each server's process group in a
// pid file named by its pgid, with its label and owner; the server is that group (Linux only).

const PID_DIR = join(DEMO_DIR, 'test-artifacts', '.harness-pids');
const CLOCK_TICKS_PER_S = 100; // USER_HZ, 100 on Linux

function serverGroup(port: number): number | undefined {
  try {
    for (const file of readdirSync(PID_DIR)) {
      const [label, owner] = readFileSync(join(PID_DIR, file), 'utf8').split('\n');
      if (Number(owner) === process.pid && label?.includes(`next start -H 127.0.0.1 -p ${port} `)) return Number(file);
    }
  } catch {
    /* no /proc or pid files: no CPU figures */
  }
  return undefined;
}

/** user+system CPU ms of every process in group `pgid`. */
function groupCpuMs(pgid: number | undefined): number {
  if (pgid === undefined) return NaN;
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited */
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

// ---------------------------------------------------------------------------------------------
// Load generator.

type RoundResult = {
  variant: string;
  seconds: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  /** Mean response body size: shows what the cachescope build adds to each page (e.g. the overlay). */
  meanBytes: number;
  /** Server CPU (user+system) per successful request. */
  cpuMsPerRequest: number;
  statuses: Record<string, number>;
};

function get(agent: Agent, port: number, path: string, cookie: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path, method: 'GET', headers: { cookie, accept: 'text/html' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length)); // read the whole streamed page
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function quantile(values: number[], q: number): number {
  const s = Float64Array.from(values).sort();
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]! : NaN;
}
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Closed loop: CONCURRENCY workers, each issuing its next request when the last one finished. */
async function load(demo: DemoServer, label: string, seconds: number, cookie: string, pgid?: number): Promise<RoundResult> {
  const cpuBefore = groupCpuMs(pgid);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async (w: number) => {
    let i = w;
    while (performance.now() < end) {
      const path = PATHS[(next++ + i) % PATHS.length]!;
      const t0 = performance.now();
      try {
        const res = await get(agent, demo.port, path, cookie);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) {
          latencies.push(performance.now() - t0);
          bytes += res.bytes;
        } else errors++;
      } catch {
        errors++;
      }
      i++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = groupCpuMs(pgid) - cpuBefore;
  agent.destroy();
  return {
    variant: label,
    seconds: elapsed,
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    meanBytes: latencies.length ? Math.round(bytes / latencies.length) : 0,
    cpuMsPerRequest: cpuMs / latencies.length,
    statuses,
  };
}

/**
 * The same comparison inside one process: the cachescope server with recording on, then paused
 * (POST /pause: every hook passes straight through), in short ABBA phases. Both sides share the
 * process, its heap and the machine's moment, so drift cancels far better than across two servers;
 * what it leaves out is the cost of the pass-through wrappers themselves.
 */
async function inProcessAB(withCs: DemoServer, streamPort: number, cookie: string, pgid: number | undefined) {
  const toggle = async (on: boolean) => {
    const res = await fetch(`http://127.0.0.1:${streamPort}/${on ? 'resume' : 'pause'}`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`POST /${on ? 'resume' : 'pause'} answered ${res.status}`);
  };
  const phases: RoundResult[] = [];
  for (let r = 0; r < TOGGLE_PAIRS * 2; r++) {
    const on = r % 4 === 0 || r % 4 === 3; // on, off, off, on, …
    await toggle(on);
    phases.push(await load(withCs, on ? 'on' : 'paused', TOGGLE_SECONDS, cookie, pgid));
  }
  await toggle(true);
  const togglePairRatios: number[] = [];
  for (let i = 0; i + 1 < phases.length; i += 2) {
    const [x, y] = [phases[i]!, phases[i + 1]!];
    togglePairRatios.push(x.variant === 'on' ? x.rps / y.rps : y.rps / x.rps);
  }
  const phaseSide = (v: string) => {
    const own = phases.filter((x) => x.variant === v);
    const requests = own.reduce((n, x) => n + x.requests, 0);
    const cpuMs = own.reduce((n, x) => n + x.cpuMsPerRequest * x.requests, 0);
    return { requests, rps: requests / own.reduce((n, x) => n + x.seconds, 0), cpuMsPerRequest: cpuMs / requests };
  };
  const inProcess = {
    phases: TOGGLE_PAIRS * 2,
    phaseSeconds: TOGGLE_SECONDS,
    on: phaseSide('on'),
    paused: phaseSide('paused'),
    pairRatios: togglePairRatios,
    pairRatioMedian: median(togglePairRatios),
  };
  process.stderr.write(
    `  in-process recording on / paused: median of pair ratios ${inProcess.pairRatioMedian.toFixed(3)}; CPU per request ${inProcess.on.cpuMsPerRequest.toFixed(2)} / ${inProcess.paused.cpuMsPerRequest.toFixed(2)} ms\n`,
  );
  return inProcess;
}

/** Proof that the cachescope server really recorded during the load. */
async function recordedUnderLoad(streamPort: number) {
  const snapshot = (await (await fetch(`http://127.0.0.1:${streamPort}/snapshot`)).json()) as {
    events: { id: number; type: string }[];
    dropped: number;
  };
  const lastEventId = snapshot.events.at(-1)?.id ?? 0;
  const eventTypes: Record<string, number> = {};
  for (const e of snapshot.events) eventTypes[e.type] = (eventTypes[e.type] ?? 0) + 1;
  return { lastEventId, retained: snapshot.events.length, dropped: snapshot.dropped, eventTypes };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('throughput: next start demo with vs without cachescope', async () => {
  const t0 = Date.now();
  const builds = { plain: await prepareBuild(PLAIN), cachescope: AA ? { built: false, ms: 0 } : await prepareBuild(WITH) };
  const streamPort = await freePort();
  const servers: Record<string, DemoServer> = {};
  try {
    const startedAt = Date.now();
    const [plain, withCs] = await Promise.all([
      startDemo({ mode: 'prod', distDir: PLAIN.distDir, env: { CACHESCOPE: 'off' }, build: 'never' }),
      AA
        ? startDemo({ mode: 'prod', distDir: PLAIN.distDir, env: { CACHESCOPE: 'off' }, build: 'never' })
        : startDemo({
            mode: 'prod',
            distDir: WITH.distDir,
            env: { CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(streamPort) },
            build: 'never',
          }),
    ]);
    servers.plain = plain;
    servers.cachescope = withCs;
    const startupMs = Date.now() - startedAt;
    if (!AA && !/recording Next\.js/.test(withCs.logs()))
      throw new Error(`cachescope did not start in the cachescope build:\n${withCs.tail()}`);
    if (/cachescope: recording/.test(plain.logs())) throw new Error('cachescope is running in the plain build');

    const groups: Record<string, number | undefined> = { plain: serverGroup(plain.port), cachescope: serverGroup(withCs.port) };
    const cookie = asUser('alice'); // one signed-in user: /pattern-1 and /pattern-2 serve that user's cache entry
    // Warm-up: JIT, the user's cache entries, Next's in-memory caches.
    for (const v of ['plain', 'cachescope', 'plain', 'cachescope']) await load(servers[v]!, v, WARMUP_SECONDS / 2, cookie, groups[v]);

    const rounds: RoundResult[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ['plain', 'cachescope'] : ['cachescope', 'plain'];
      for (const v of order) {
        await pause(500);
        const result = await load(servers[v]!, v, ROUND_SECONDS, cookie, groups[v]);
        rounds.push(result);
        process.stderr.write(
          `  throughput round ${r + 1} ${v.padEnd(10)} ${result.rps.toFixed(1)} req/s  p50 ${result.p50.toFixed(1)} ms  p95 ${result.p95.toFixed(1)} ms  cpu ${result.cpuMsPerRequest.toFixed(2)} ms/req  errors ${result.errors}\n`,
        );
      }
    }

    const inProcess = AA ? undefined : await inProcessAB(withCs, streamPort, cookie, groups.cachescope);
    const recorded = AA ? undefined : await recordedUnderLoad(streamPort);

    const of = (v: string) => rounds.filter((x) => x.variant === v);
    const side = (v: string) => ({
      rpsMedian: median(of(v).map((x) => x.rps)),
      p50Median: median(of(v).map((x) => x.p50)),
      p95Median: median(of(v).map((x) => x.p95)),
      requests: of(v).reduce((n, x) => n + x.requests, 0),
      meanBytes: median(of(v).map((x) => x.meanBytes)),
      cpuMsPerRequestMedian: median(of(v).map((x) => x.cpuMsPerRequest)),
      errors: of(v).reduce((n, x) => n + x.errors, 0),
    });
    const a = side('plain');
    const b = side('cachescope');
    // Adjacent pairs (A,B), (B,A), …: the ratio within each pair, less sensitive to slow drift.
    const pairRatios: number[] = [];
    for (let i = 0; i + 1 < rounds.length; i += 2) {
      const [x, y] = [rounds[i]!, rounds[i + 1]!];
      const plainRps = x.variant === 'plain' ? x.rps : y.rps;
      const csRps = x.variant === 'plain' ? y.rps : x.rps;
      pairRatios.push(csRps / plainRps);
    }
    const ratio = b.rpsMedian / a.rpsMedian;
    const out = {
      node: process.version,
      concurrency: CONCURRENCY,
      roundSeconds: ROUND_SECONDS,
      rounds: ROUNDS,
      paths: PATHS,
      builds,
      startupMs,
      plain: a,
      cachescope: b,
      rpsRatio: ratio,
      pairRatios,
      pairRatioMedian: median(pairRatios),
      inProcess,
      p50Ratio: b.p50Median / a.p50Median,
      p95Ratio: b.p95Median / a.p95Median,
      /** plain CPU per request / cachescope CPU per request: the throughput ratio if the server were CPU-bound alone. */
      cpuEfficiencyRatio: a.cpuMsPerRequestMedian / b.cpuMsPerRequestMedian,
      goalRatio: GOAL_RATIO,
      pass: median(pairRatios) >= GOAL_RATIO,
      aa: AA,
      recorded,
      perRound: rounds,
      benchSeconds: Math.round((Date.now() - t0) / 1000),
    };
    if (a.errors + b.errors > 0) process.stderr.write(`  throughput: ${a.errors + b.errors} non-200 / failed requests\n`);
    if (recorded && recorded.lastEventId === 0) throw new Error('the cachescope server recorded no events under load');
    const file = process.env.CACHESCOPE_BENCH_OUT;
    if (file) writeFileSync(file, JSON.stringify(out, null, 2));
    else console.log(JSON.stringify(out, null, 2));
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}, 1_200_000);
