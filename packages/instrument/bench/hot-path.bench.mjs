// Hot-path cost: what cachescope's recording hooks add to one call, against the bare call in the
// same process, interleaved. Run with `node --expose-gc bench/hot-path.bench.mjs [--out file.json]` from
// packages/instrument (Next internals resolve from process.cwd(), as in a real app). Imports dist/.
//
// Method
// - Every pair (bare call / same call through the cachescope hook) runs ROUNDS rounds of CALLS calls
//   (pairs without a goal: INFO_ROUNDS),
//   in ABBA order (bare first on even rounds, hooked first on odd rounds), after WARMUP rounds.
// - Every call is timed on its own (performance.now() before and after `await call()`, so the hook's
//   side-branch `.then` that runs before our continuation is included). The timer's own cost is in both.
// - "added median" = median over rounds of (mean ns/call hooked - mean ns/call bare).
//   "added p99" = p99 of all hooked call times - p99 of all bare call times (GC pauses included).
// - Every 256 calls the loop yields to the event loop (setImmediate), and every >= 20 ms of wall time
//   it runs the pipeline flush (finalize -> analysis -> ring buffer), which is what the 20 ms timer of
//   createPipeline does in a server. The bench drives that flush itself so that its cost can be timed
//   and charged to the round whose facts it finalized (reported as "amortized incl. flush"), instead
//   of spilling into the next (bare) round. The pipeline's own timer is set to an hour.
// - Everything runs inside Next's own work / work-unit AsyncLocalStorage (a fake request store), as
//   in a Next server: ALS (and Node 20's promise hooks) are active for the bare calls too.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { median, quantileSorted, round, sorted } from './lib/stats.mjs';

const args = process.argv.slice(2);
// NODE_ENV=production (as `pnpm bench:overhead` runs it) measures next start: repeated calls reuse their
// place's call site; otherwise every fetch also pays a stack capture, as in next dev.
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
const ROUNDS = Number(process.env.CACHESCOPE_BENCH_ROUNDS ?? (QUICK ? 5 : 15));
/** Pairs without a goal (context for the goal rows) run fewer rounds to keep `pnpm bench` short. */
const INFO_ROUNDS = Math.max(3, Math.ceil(ROUNDS / 2));
const CALLS = Number(process.env.CACHESCOPE_BENCH_CALLS ?? (QUICK ? 5_000 : 20_000));
const WARMUP = 2;
const MEMORY_CALLS = Number(process.env.CACHESCOPE_BENCH_MEMORY_CALLS ?? (QUICK ? 200_000 : 1_000_000));
const FLUSH_MS = 20;
const GOAL_ADDED_US = 2;
/** CACHESCOPE_BENCH_PAIRS=fetch,revalidate-tag: measure only these pairs. */
const ONLY = process.env.CACHESCOPE_BENCH_PAIRS ? new Set(process.env.CACHESCOPE_BENCH_PAIRS.split(',').map((s) => s.trim())) : undefined;

if (typeof globalThis.gc !== 'function') {
  console.error('hot-path bench: run with node --expose-gc');
  process.exit(2);
}

// Next's server exposes AsyncLocalStorage on globalThis before loading its internals
// (next/dist/server/node-environment-baseline.js); without it they get a throwing fake.
globalThis.AsyncLocalStorage ??= AsyncLocalStorage;
const dist = new URL('../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
// The recording incremental handler delegates to the user's handler named by this env (read at import).
const { USER_CACHE_HANDLER_ENV } = await load('hooks/config/env-keys.js');
process.env[USER_CACHE_HANDLER_ENV] = fileURLToPath(new URL('./stubs/stub-cache-handler.mjs', import.meta.url));

const { installRecorder } = await load('recorder/recorder.js');
const { createPipeline } = await load('recorder/pipeline.js');
const { createAnalyzer } = await load('analysis/analyzer.js');
const { installFetchTrap } = await load('hooks/fetch-trap.js');
const { currentRequestContext, currentWorkStore } = await load('hooks/request-context.js');
const { default: RecordingHandler } = await load('hooks/handlers/incremental-handler.js');
const { default: StubCacheHandler } = await import('./stubs/stub-cache-handler.mjs');
const cacheShim = await load('hooks/shims/next-cache.js');
const headersShim = await load('hooks/shims/next-headers.js');

// Next's own modules, resolved the way cachescope resolves them (from the app directory = cwd).
const appRequire = createRequire(`${process.cwd()}/package.json`);
const { workAsyncStorage } = appRequire('next/dist/server/app-render/work-async-storage.external.js');
const { workUnitAsyncStorage } = appRequire('next/dist/server/app-render/work-unit-async-storage.external.js');
const realCache = appRequire('next/cache.js');
const realHeaders = appRequire('next/headers.js');

// ---------------------------------------------------------------------------------------------
// Setup: recorder, analysis, pipeline (as register() does), fetch trap, stubs.

const recorder = installRecorder();
const FIXED_CONTEXT = Object.freeze({ requestId: 1, route: '/pattern-1', workUnit: 'request', phase: 'render', requestKind: 'page' });
const fixedContext = () => FIXED_CONTEXT;
recorder.context = fixedContext;
const pipeline = createPipeline({ recorder, analysis: createAnalyzer(), flushMs: 3_600_000 });

/** Events the pipeline emitted, by type (the per-pair delta proves the hooked side really recorded). */
const emitted = new Map();
pipeline.subscribe((batch) => {
  for (const event of batch) emitted.set(event.type, (emitted.get(event.type) ?? 0) + 1);
});

const RESPONSE = Object.freeze({ status: 200, ok: true, headers: new Map() });
/** Stands in for Next's patched fetch (cache hit: resolves without an origin call). */
const makePatched = (origin) => {
  const patched = origin
    ? async function fetch(input, init) {
        // as Next does: the origin call carries the call's number (the inner hook finds its call by it)
        return origin(input, { ...init, next: { ...init?.next, fetchType: 'origin', fetchIdx: 1 } });
      }
    : async function fetch(_input, _init) {
        return RESPONSE;
      };
  patched.__nextPatched = true;
  return patched;
};
const originStub = async function fetch(_input, _init) {
  return RESPONSE;
};

installFetchTrap();
// The trap wraps what Next assigns: read back the wrapped functions (outer = recording wrapper around
// a __nextPatched function, inner = origin wrapper around any other function).
globalThis.fetch = originStub;
const innerOrigin = globalThis.fetch; // inner wrapper: counts origin calls of the call Next numbered
const patchedMiss = makePatched(innerOrigin); // Next's patch captured the (wrapped) origin fetch
globalThis.fetch = patchedMiss;
const hookedMissFetch = globalThis.fetch;
const patchedHit = makePatched();
globalThis.fetch = patchedHit; // what stays installed: app code calls globalThis.fetch (the trap getter)
if (globalThis.fetch === patchedHit || hookedMissFetch === patchedMiss) throw new Error('fetch trap did not wrap the patched fetch');
globalThis.__benchBareFetch = patchedHit; // the baseline: a plain global data property
const bareMiss = makePatched(originStub);

const INIT = {
  method: 'POST',
  headers: { cookie: 'session=alice.0123456789abcdef', 'content-type': 'application/json' },
  next: { tags: ['dashboard-data', 'p1:dashboard-data'], revalidate: 60 },
};
const url = (variant) => `https://api.example.test/dashboard?pattern=p1&v=${variant}`;
const URL_HIT = url('hit');
const URL_MISS = url('miss');
const URL_CTX = url('ctx');
const URL_GET = 'https://api.example.test/posts';
const INIT_GET = { next: { tags: ['posts'] } };

const bareHandler = new StubCacheHandler();
const hookedHandler = new RecordingHandler({});
const FETCH_URL = 'https://api.example.test/dashboard?pattern=p1&v=handler';
const GET_CTX = {
  kind: 'FETCH',
  revalidate: 60,
  fetchUrl: FETCH_URL,
  fetchIdx: 0,
  tags: ['dashboard-data', 'p1:dashboard-data'],
  softTags: ['_N_T_/layout', '_N_T_/pattern-1/layout', '_N_T_/pattern-1/page', '_N_T_/pattern-1'],
  isFallback: false,
};
const SET_DATA = { kind: 'FETCH', data: { headers: {}, body: 'eyJvayI6dHJ1ZX0=', status: 200, url: FETCH_URL }, revalidate: 60 };
const SET_CTX = { fetchCache: true, fetchUrl: FETCH_URL, fetchIdx: 0, tags: ['dashboard-data', 'p1:dashboard-data'] };
const KEY = 'a3f1c0de9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504';

// A fake request in Next's own async-local storages (a Server Action, so revalidateTag is allowed).
const cookieJar = { get: () => undefined, getAll: () => [], has: () => false, size: 0 };
const WORK_STORE = {
  route: '/pattern-1',
  page: '/pattern-1/page',
  incrementalCache: {},
  pendingRevalidatedTags: [],
  cacheLifeProfiles: { max: { stale: 300, revalidate: 2_592_000, expire: 31_536_000 } },
  forceStatic: false,
  dynamicShouldError: false,
};
const WORK_UNIT_STORE = {
  type: 'request',
  phase: 'action',
  cookies: cookieJar,
  mutableCookies: cookieJar,
  userspaceMutableCookies: cookieJar,
  implicitTags: { tags: [] },
};

// ---------------------------------------------------------------------------------------------
// The pairs. `instr.setup` runs before each of its rounds (outside the timing).

const pairs = [
  {
    id: 'fetch',
    name: 'fetch: stub patched fetch (cache hit) vs behind the fetch trap',
    goalUs: GOAL_ADDED_US,
    base: { call: () => globalThis.__benchBareFetch(URL_HIT, INIT) },
    instr: { call: () => globalThis.fetch(URL_HIT, INIT), expect: 'fetch' },
  },
  {
    id: 'fetch-get',
    name: 'fetch: a GET of a fixed URL with one tag (its call-site place needs no new string)',
    base: { call: () => globalThis.__benchBareFetch(URL_GET, INIT_GET) },
    instr: { call: () => globalThis.fetch(URL_GET, INIT_GET), expect: 'fetch' },
  },
  {
    id: 'fetch-miss',
    name: 'fetch miss path: patched fetch -> origin, both trapped (outer + inner wrapper)',
    base: { call: () => bareMiss(URL_MISS, INIT) },
    instr: { call: () => hookedMissFetch(URL_MISS, INIT), expect: 'fetch' },
  },
  {
    id: 'fetch-real-context',
    name: "fetch with register()'s real request context (Next ALS lookups) instead of a fixed one",
    base: { call: () => globalThis.__benchBareFetch(URL_CTX, INIT) },
    instr: {
      call: () => globalThis.fetch(URL_CTX, INIT),
      expect: 'fetch',
      setup: () => (recorder.context = currentRequestContext),
      teardown: () => (recorder.context = fixedContext),
    },
  },
  {
    id: 'handler-get',
    name: 'incremental cache handler get (FETCH entry) vs recording handler',
    goalUs: GOAL_ADDED_US,
    base: { call: () => bareHandler.get(KEY, GET_CTX) },
    instr: { call: () => hookedHandler.get(KEY, GET_CTX), expect: 'cache-get' },
  },
  {
    id: 'handler-set',
    name: 'incremental cache handler set (FETCH entry) vs recording handler',
    base: { call: () => bareHandler.set(KEY, SET_DATA, SET_CTX) },
    instr: { call: () => hookedHandler.set(KEY, SET_DATA, SET_CTX), expect: 'cache-set' },
  },
  {
    id: 'handler-revalidate-tag',
    name: 'incremental cache handler revalidateTag (the commit of a revalidation) vs recording handler',
    goalUs: GOAL_ADDED_US,
    base: { call: () => bareHandler.revalidateTag(['p1:dashboard-data'], { expire: 0 }) },
    instr: { call: () => hookedHandler.revalidateTag(['p1:dashboard-data'], { expire: 0 }), expect: 'revalidation-commit' },
  },
  {
    // Not a cache operation but the app's API call (once per Server Action / route handler, never in a
    // render): most of its cost is V8 capturing the caller's stack frame for the event's call site.
    id: 'revalidate-tag',
    name: "revalidateTag(tag, 'max'): Next's vs the next/cache shim (sync, call site captured)",
    sync: true,
    base: { call: () => realCache.revalidateTag('p1:dashboard-data', 'max') },
    instr: { call: () => cacheShim.revalidateTag('p1:dashboard-data', 'max'), expect: 'revalidate-call' },
  },
  {
    id: 'cookies',
    name: "cookies(): Next's vs the next/headers shim (sync call)",
    sync: true,
    base: { call: () => realHeaders.cookies() },
    instr: {
      call: () => headersShim.cookies(),
      expect: 'dynamic-api',
      // as register() sets it: reads fold per request (Next's work store)
      setup: () => (recorder.work = currentWorkStore),
      teardown: () => (recorder.work = undefined),
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Measurement.

let lastFlushAt = performance.now();
let flushMsThisRound = 0;
function flushIfDue() {
  const t = performance.now();
  if (t - lastFlushAt < FLUSH_MS) return;
  pipeline.flush();
  const done = performance.now();
  flushMsThisRound += done - t;
  lastFlushAt = done;
}
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
async function tick() {
  await nextTurn();
  flushIfDue();
}

/** Times `n` calls one by one into `out[offset..]`; returns the summed call time in ms. */
async function timeCalls(side, sync, n, out, offset) {
  const call = side.call;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    if (sync) call();
    else await call();
    const d = performance.now() - start;
    total += d;
    if (out) out[offset + i] = d;
    if ((i & 255) === 255) await tick();
  }
  return total;
}

/** Lets every call of the round settle and be finalized (the 20 ms settle grace), timing the flushes. */
async function drain() {
  const until = performance.now() + 25;
  while (performance.now() < until) await new Promise((r) => setTimeout(r, 5));
  const t = performance.now();
  pipeline.flush();
  flushMsThisRound += performance.now() - t;
  lastFlushAt = performance.now();
}

async function runSide(pair, side, n, out, offset) {
  side.setup?.();
  flushMsThisRound = 0;
  const callMs = await timeCalls(side, pair.sync, n, out, offset);
  await drain();
  side.teardown?.();
  return { callMs, flushMs: flushMsThisRound };
}

async function measurePair(pair) {
  await drain();
  const emittedBefore = emitted.get(pair.instr.expect) ?? 0;
  const rounds = pair.goalUs === undefined ? INFO_ROUNDS : ROUNDS;
  const total = rounds * CALLS;
  const samples = { base: new Float64Array(total), instr: new Float64Array(total) };
  const perRound = [];
  for (let r = -WARMUP; r < rounds; r++) {
    const record = r >= 0;
    const order = (r & 1) === 0 ? ['base', 'instr'] : ['instr', 'base'];
    const result = {};
    for (const which of order) {
      result[which] = await runSide(pair, pair[which], CALLS, record ? samples[which] : null, record ? r * CALLS : 0);
    }
    if (record) {
      perRound.push({
        baseNs: (result.base.callMs * 1e6) / CALLS,
        instrNs: (result.instr.callMs * 1e6) / CALLS,
        baseFlushNs: (result.base.flushMs * 1e6) / CALLS,
        instrFlushNs: (result.instr.flushMs * 1e6) / CALLS,
      });
    }
  }
  await drain();
  const eventsRecorded = (emitted.get(pair.instr.expect) ?? 0) - emittedBefore;
  const sb = sorted(samples.base);
  const si = sorted(samples.instr);
  const added = perRound.map((x) => x.instrNs - x.baseNs);
  const addedAmortized = perRound.map((x) => x.instrNs + x.instrFlushNs - (x.baseNs + x.baseFlushNs));
  return {
    id: pair.id,
    name: pair.name,
    rounds,
    callsPerRound: CALLS,
    baseNsMedian: round(median(perRound.map((x) => x.baseNs)), 1),
    instrNsMedian: round(median(perRound.map((x) => x.instrNs)), 1),
    addedUsMedian: round(median(added) / 1000),
    addedUsMin: round(Math.min(...added) / 1000),
    addedUsMax: round(Math.max(...added) / 1000),
    basePerCallUs: { p50: round(quantileSorted(sb, 0.5) * 1000), p99: round(quantileSorted(sb, 0.99) * 1000) },
    instrPerCallUs: { p50: round(quantileSorted(si, 0.5) * 1000), p99: round(quantileSorted(si, 0.99) * 1000) },
    addedUsP50: round((quantileSorted(si, 0.5) - quantileSorted(sb, 0.5)) * 1000),
    addedUsP99: round((quantileSorted(si, 0.99) - quantileSorted(sb, 0.99)) * 1000),
    /** Including the flush (finalize + analysis + ring) of the round's facts, per call. */
    addedUsAmortizedMedian: round(median(addedAmortized) / 1000),
    hookedCalls: (rounds + WARMUP) * CALLS,
    eventsRecorded,
    eventType: pair.instr.expect,
    goalUs: pair.goalUs,
    pass: pair.goalUs === undefined ? undefined : median(added) / 1000 <= pair.goalUs,
  };
}

/** 1M hooked fetch calls: heap after a forced gc at checkpoints, and the drop counters. */
async function memoryCheck() {
  const side = pairs[0].instr;
  const checkpoints = [];
  const settle = async () => {
    await drain();
    pipeline.flush();
    globalThis.gc();
    await nextTurn();
    globalThis.gc();
  };
  await settle();
  const mark = (calls) =>
    checkpoints.push({
      calls,
      heapUsedMB: round(process.memoryUsage().heapUsed / 2 ** 20, 2),
      ringDropped: pipeline.dropped,
      pendingDropped: recorder.droppedFacts,
      lastEventId: pipeline.lastId(),
    });
  mark(0);
  const step = MEMORY_CALLS / 4;
  const started = performance.now();
  for (let done = 0; done < MEMORY_CALLS; done += step) {
    flushMsThisRound = 0;
    await timeCalls(side, false, step, null, 0);
    await settle();
    mark(done + step);
  }
  const firstQuarter = checkpoints[1];
  const last = checkpoints[checkpoints.length - 1];
  return {
    calls: MEMORY_CALLS,
    seconds: round((performance.now() - started) / 1000, 1),
    checkpoints,
    heapGrowthAfterFirstQuarterMB: round(last.heapUsedMB - firstQuarter.heapUsedMB, 2),
    heapGrowthTotalMB: round(last.heapUsedMB - checkpoints[0].heapUsedMB, 2),
    ringDroppedDelta: last.ringDropped - checkpoints[0].ringDropped,
    pendingDroppedDelta: last.pendingDropped - checkpoints[0].pendingDropped,
    // bounded: the heap does not keep growing once the ring buffer and the analysis are full
    bounded: last.heapUsedMB - firstQuarter.heapUsedMB < 8 && last.ringDropped > checkpoints[0].ringDropped,
  };
}

async function main() {
  const results = [];
  const t0 = performance.now();
  await workAsyncStorage.run(WORK_STORE, () =>
    workUnitAsyncStorage.run(WORK_UNIT_STORE, async () => {
      for (const pair of pairs) {
        if (ONLY && !ONLY.has(pair.id)) continue;
        const r = await measurePair(pair);
        results.push(r);
        process.stderr.write(
          `  ${pair.id.padEnd(20)} bare ${String(r.baseNsMedian).padStart(7)} ns  hooked ${String(r.instrNsMedian).padStart(7)} ns  added ${r.addedUsMedian} us (p99 +${r.addedUsP99} us)\n`,
        );
      }
    }),
  );
  const memory = await workAsyncStorage.run(WORK_STORE, () => workUnitAsyncStorage.run(WORK_UNIT_STORE, memoryCheck));
  const out = {
    node: process.version,
    nodeEnv: process.env.NODE_ENV ?? null,
    seconds: round((performance.now() - t0) / 1000, 1),
    method:
      'interleaved ABBA rounds in one process; per-call timing; added median = median over rounds of (mean hooked - mean bare); p99 = per-call p99 hooked - p99 bare',
    pairs: results,
    memory,
    faults: Object.fromEntries(recorder.faults),
  };
  const json = JSON.stringify(out, null, 2);
  if (outFile) writeFileSync(outFile, json);
  else console.log(json);
  pipeline.stop();
}

await main();
