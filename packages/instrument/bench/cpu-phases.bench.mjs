// Server CPU that recording costs, measured where throughput is decided: the `next start` main thread.
// One cachescope server of the demo (the throughput bench's build) runs under `node --cpu-prof`; a
// closed-loop load drives it while recording alternates on / paused (POST /resume, POST /pause) in
// short ABBA phases. Each profile sample is assigned to the phase it fell in, so both sides share the
// process, its heap, its JIT and the machine's moment: drift that swamps a two-server comparison on a
// shared VM cancels here. Reports main-thread busy µs per request on vs paused, and where the difference
// goes. (What it leaves out: the pass-through wrappers, present in both phases; see the throughput bench.)
//
// Run: `node bench/cpu-phases.bench.mjs [--out file.json] [--keep-profile dir]` from packages/instrument, after
// the throughput bench built `apps/demo/.next-bench-cachescope` (pnpm bench runs it in that order).
// `--from-profile dir/CPU….cpuprofile` analyses a kept profile again without running anything.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from '@cachescope/harness/backend';
import { DEMO_DIR } from '@cachescope/harness/demo-dir';
import { freePort } from './lib/free-port.mjs';
import { createStackAttributor } from './lib/profile-sources.mjs';
import { bootstrap, median, round } from './lib/stats.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const outFile = option('--out');
/** Keep the .cpuprofile (for a closer look in Chrome DevTools): copied into this directory. */
const keepProfileDir = option('--keep-profile');
const fromProfile = option('--from-profile');
const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
const PAIRS = Number(process.env.CACHESCOPE_BENCH_CPU_PAIRS ?? (QUICK ? 3 : 16));
const PHASE_MS = Number(process.env.CACHESCOPE_BENCH_CPU_PHASE_MS ?? 2_000);
/** Samples this soon after a switch belong to neither side (the previous phase's flush, GC). */
const SETTLE_MS = 100;
const CONCURRENCY = 16;
const PATHS = ['/pattern-1', '/broken', '/pattern-2'];
const COOKIE = 'session=alice.0123456789abcdef';

const DIST = '.next-bench-cachescope';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs the server under --cpu-prof through the on / paused phases: its profile and the phase times. */
async function measure() {
  if (!existsSync(join(DEMO_DIR, DIST, 'BUILD_ID'))) {
    console.error(`cpu-phases: no build in apps/demo/${DIST}; run the throughput bench first (pnpm bench)`);
    process.exit(2);
  }
  const backend = await startBackend({ port: 0 });
  const [port, streamPort] = [await freePort(), await freePort()];
  const profileDir = mkdtempSync(join(tmpdir(), 'cachescope-cpu-'));
  const server = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      join(DEMO_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
    ],
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

  let measured;
  try {
    for (let t = Date.now(); ; await sleep(250)) {
      if ((await get('/pattern-1').catch(() => 0)) === 200) break;
      if (Date.now() - t > 60_000) throw new Error(`next start did not answer:\n${logs.slice(-3000)}`);
    }
    await load(QUICK ? 2_000 : 15_000); // warm-up: JIT, caches (CPU per request still falls for a while after 5 s)
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
    if (keepProfileDir) {
      mkdirSync(keepProfileDir, { recursive: true });
      copyFileSync(join(profileDir, file), join(keepProfileDir, file));
      writeFileSync(join(keepProfileDir, `${file}.phases.json`), JSON.stringify({ phases, stoppedAt }));
    }
    measured = { profile: JSON.parse(readFileSync(join(profileDir, file), 'utf8')), phases, stoppedAt };
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    agent.destroy();
    await backend.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
  return measured;
}

/** Node's own work for AsyncLocalStorage (every store of the app, cachescope's call storage among them). */
const ASYNC_CONTEXT = /^node:(internal\/)?(async_hooks|async_local_storage)/;

/**
 * Busy (non-idle) main-thread time per request in each side; of it, the time in cachescope's own frames
 * (charged to the outermost one, mapped through source maps) and in Node's async-context propagation;
 * and per function the difference between the sides.
 */
function attribute(profile, phases, stoppedAtEpochUs) {
  // The profile's clock is monotonic; its end is (within a few ms) the moment SIGINT was sent.
  const offsetUs = stoppedAtEpochUs - profile.endTime;
  const stacks = createStackAttributor(profile);
  const side = () => ({
    busyUs: 0,
    requests: 0,
    cachescopeUs: 0,
    asyncContextUs: 0,
    gcUs: 0,
    fns: new Map(),
    cachescope: new Map(),
    cachescopeInner: new Map(),
    cachescopeFiles: new Map(),
  });
  const sides = { on: side(), paused: side() };
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  /** Per phase: busy, cachescope-frame and async-context µs (for per-pair figures and their intervals). */
  const tally = phases.map(() => ({ busyUs: 0, cachescopeUs: 0, asyncContextUs: 0 }));
  const keptRequests = (ph) => ph.requests * (1 - SETTLE_MS / (ph.end - ph.start)); // requests of the kept part, pro rata
  for (const ph of phases) (ph.on ? sides.on : sides.paused).requests += keptRequests(ph);
  let t = profile.startTime;
  let pi = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const epochMs = (t + offsetUs) / 1000;
    while (pi < phases.length && epochMs > phases[pi].end) pi++;
    if (pi >= phases.length) break;
    const ph = phases[pi];
    if (epochMs < ph.start + SETTLE_MS) continue;
    const frame = stacks.node(profile.samples[i]).callFrame;
    if (frame.functionName === '(idle)') continue;
    const s = ph.on ? sides.on : sides.paused;
    const us = profile.timeDeltas[i];
    s.busyUs += us;
    tally[pi].busyUs += us;
    if (frame.functionName === '(garbage collector)') s.gcUs += us;
    add(s.fns, `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*\/(chunks|node_modules)\//, '')}:${frame.lineNumber}`, us);
    const ours = stacks.chargedTo(profile.samples[i]);
    if (ours) {
      s.cachescopeUs += us;
      tally[pi].cachescopeUs += us;
      add(s.cachescope, `${ours.entry.fn} ${ours.entry.file}:${ours.entry.line}`, us);
      add(s.cachescopeInner, `${ours.inner.fn} ${ours.inner.file}:${ours.inner.line}`, us);
      add(s.cachescopeFiles, ours.inner.file, us);
    } else if (ASYNC_CONTEXT.test(frame.url)) {
      s.asyncContextUs += us;
      tally[pi].asyncContextUs += us;
    }
  }
  const perRequest = (s, us) => us / s.requests;
  /** Per key, µs per request on minus paused, largest first. */
  const added = (map, top = 12) => {
    const keys = new Set([...sides.on[map].keys(), ...sides.paused[map].keys()]);
    return [...keys]
      .map((k) => ({
        fn: k,
        addedUsPerRequest: round(
          perRequest(sides.on, sides.on[map].get(k) ?? 0) - perRequest(sides.paused, sides.paused[map].get(k) ?? 0),
          1,
        ),
      }))
      .sort((a, b) => b.addedUsPerRequest - a.addedUsPerRequest)
      .slice(0, top);
  };
  const byFile = added('cachescopeFiles', Infinity);
  const fileUs = (...files) =>
    round(
      byFile.filter((f) => files.includes(f.fn)).reduce((n, f) => n + f.addedUsPerRequest, 0),
      1,
    );
  const onUs = perRequest(sides.on, sides.on.busyUs);
  const pausedUs = perRequest(sides.paused, sides.paused.busyUs);
  const both = (key) => ({
    on: round(perRequest(sides.on, sides.on[key]), 1),
    paused: round(perRequest(sides.paused, sides.paused[key]), 1),
  });
  const cachescopeUs = both('cachescopeUs');
  const asyncContextUs = both('asyncContextUs');
  const gcUs = both('gcUs');
  // The cost recording adds as the profile attributes it: cachescope's frames, on minus paused. Far
  // steadier than the on - paused difference of the whole main thread (which carries the noise of
  // everything else the server did).
  const attributedUs = cachescopeUs.on - cachescopeUs.paused;
  // Per ABBA pair, paused / on busy µs per request: the throughput ratio that pair measured. Pairs ran
  // back to back, so the machine's slow drift cancels within each; their median, with a bootstrap
  // confidence interval, says how sure the measurement is.
  const pairs = [];
  for (let i = 0; i + 1 < phases.length; i += 2) pairs.push(phases[i].on ? [i, i + 1] : [i + 1, i]);
  const perReq = (i, key) => tally[i][key] / keptRequests(phases[i]);
  const cpuPairRatios = pairs.map(([on, paused]) => perReq(paused, 'busyUs') / perReq(on, 'busyUs'));
  const requestPairRatios = pairs.map(([on, paused]) => phases[on].requests / phases[paused].requests);
  // With vs without cachescope over a set of pairs: "without" is the paused side minus the pass-through
  // wrappers it still runs; cachescope's cost is its frames on the on side. The promise hooks its own
  // side branches trigger run inside those frames and count there. The async-context work of the rest of
  // the app is reported beside it, not charged: cachescope keeps no AsyncLocalStorage (see
  // src/recorder/call-registry.ts), so it adds none, and that figure is the app's noise. Sampling noise only
  // (not the machine's): the interval is narrow.
  const withVsWithout = (chosen) => {
    const sum = (side, key) => chosen.reduce((n, pair) => n + tally[pair[side]][key], 0);
    const reqs = (side) => chosen.reduce((n, pair) => n + keptRequests(phases[pair[side]]), 0);
    const [onReq, pausedReq] = [reqs(0), reqs(1)];
    const withoutUs = (sum(1, 'busyUs') - sum(1, 'cachescopeUs')) / pausedReq;
    const costUs = sum(0, 'cachescopeUs') / onReq;
    return { withoutUs, costUs, ratio: withoutUs / (withoutUs + costUs) };
  };
  const attributed = withVsWithout(pairs);
  const attributedInterval = bootstrap(pairs, (chosen) => withVsWithout(chosen).ratio);
  return {
    node: process.version,
    pairs: phases.length / 2,
    phaseMs: phases.length ? Math.round(median(phases.map((p) => p.end - p.start))) : undefined,
    requests: { on: Math.round(sides.on.requests), paused: Math.round(sides.paused.requests) },
    busyUsPerRequest: { on: round(onUs, 0), paused: round(pausedUs, 0) },
    addedUsPerRequest: round(onUs - pausedUs, 0),
    addedPercent: round((100 * (onUs - pausedUs)) / pausedUs, 2),
    /** A CPU-bound server's throughput ratio follows from the main thread's time per request. */
    predictedThroughputRatio: round(pausedUs / onUs, 3),
    cachescopeUsPerRequest: cachescopeUs,
    asyncContextUsPerRequest: asyncContextUs,
    /** V8's GC on the main thread: not charged either (process-wide; its on / paused difference is noise-sized). */
    gcUsPerRequest: gcUs,
    attributedUsPerRequest: round(attributedUs, 1),
    attributedPercent: round((100 * attributedUs) / pausedUs, 2),
    /** Measured: median over pairs of paused / on main-thread CPU per request, with a 95 % bootstrap interval. */
    measuredThroughputRatio: {
      median: round(median(cpuPairRatios), 3),
      ci95: bootstrap(cpuPairRatios, median).map((x) => round(x, 3)),
      pairs: cpuPairRatios.map((x) => round(x, 3)),
    },
    requestPairRatioMedian: round(median(requestPairRatios), 3),
    /** Attributed: with vs without cachescope, from the time in its own frames (wrappers included). */
    withVsWithout: {
      withoutUsPerRequest: round(attributed.withoutUs, 0),
      costUsPerRequest: round(attributed.costUs, 1),
      throughputRatio: round(attributed.ratio, 3),
      ci95: attributedInterval.map((x) => round(x, 3)),
    },
    topCachescope: added('cachescope'),
    /** The same time by the cachescope function that was running (the helper, not the entry point). */
    topCachescopeInner: added('cachescopeInner'),
    /** Where cachescope's frames spend time while paused: the pass-through wrappers and the idle flush timer. */
    topCachescopePaused: [...sides.paused.cachescope]
      .map(([fn, us]) => ({ fn, usPerRequest: round(perRequest(sides.paused, us), 1) }))
      .sort((a, b) => b.usPerRequest - a.usPerRequest)
      .slice(0, 8),
    /** The same time by cachescope source file. */
    topCachescopeFiles: byFile.slice(0, 12),
    /**
     * Call sites (#16): the capture on the request path (first call at a place, then the place's lookup) and
     * their resolution through the build's source maps at flush time.
     */
    callSitesUsPerRequest: {
      capture: fileUs('src/hooks/shims/call-site.ts'),
      resolve: fileUs('src/recorder/source-sites.ts', 'src/hooks/source-maps.ts'),
    },
    top: added('fns'),
    method:
      "one next start under --cpu-prof, closed-loop load c=16; recording on / paused in ABBA phases; profile samples assigned to phases by time (first 100 ms of a phase dropped); main-thread busy µs per request; cachescope frames found through the build's source maps, a sample counts as cachescope when the nearest non-builtin frame above it is one, charged to the outermost cachescope frame of that stretch",
  };
}

const { profile, phases, stoppedAt } = fromProfile
  ? { profile: JSON.parse(readFileSync(fromProfile, 'utf8')), ...JSON.parse(readFileSync(`${fromProfile}.phases.json`, 'utf8')) }
  : await measure();
const result = attribute(profile, phases, stoppedAt);
if (outFile) writeFileSync(outFile, JSON.stringify(result, null, 2));
else console.log(JSON.stringify(result, null, 2));
process.stderr.write(
  `  cpu phases: main thread ${result.busyUsPerRequest.on} µs/request recording vs ${result.busyUsPerRequest.paused} paused: +${result.addedUsPerRequest} µs (+${result.addedPercent} %), predicted throughput ratio ${result.predictedThroughputRatio}\n` +
    `  attributed: cachescope frames ${result.cachescopeUsPerRequest.on} µs recording / ${result.cachescopeUsPerRequest.paused} µs paused (+${result.attributedUsPerRequest} µs, +${result.attributedPercent} %); with / without ${result.withVsWithout.throughputRatio} (95 % CI ${result.withVsWithout.ci95.join('–')}); the app's async-context work ${result.asyncContextUsPerRequest.on} / ${result.asyncContextUsPerRequest.paused} µs, GC ${result.gcUsPerRequest.on} / ${result.gcUsPerRequest.paused} µs\n` +
    `  call sites: capture ${result.callSitesUsPerRequest.capture} µs/request (request path), resolution ${result.callSitesUsPerRequest.resolve} µs/request (flush)\n`,
);
