// Call-site cost: what resolving call sites to the app's source adds, per event, and what capturing the
// frames costs on the request path. Run `node --expose-gc bench/call-sites.bench.mjs [--out file.json]` from
// packages/instrument (imports dist/: `pnpm run build` first; `pnpm bench:call-sites` does both).
//
// Rows (ns per event, median of ROUNDS rounds):
// - capture: callSite() in a 30-frame-deep call, CALL_SITE_FRAMES frames vs the 1 frame captured before
//   call sites were resolved (the only request-path cost; ratio vs 1 frame); and a repeated call under
//   next start (fetch, unstable_cache, 'use cache', dynamic reads), whose place was captured before.
// - flush baseline: reading the top frame as text (what finalize did before: callSiteOf).
// - flush cold: frames read + resolved by a new resolver, first position of a chunk: reads and parses
//   the chunk's source map (a Turbopack-shaped index map, SECTIONS modules, generated here).
// - flush cached: the same position again (every later event of that call site).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_SITE_FRAMES, callSite, callSitePolicy, placeMemo, repeatedCallSite } from '../dist/hooks/shims/call-site.js';
import { callFramesOf, callSiteOf } from '../dist/recorder/inputs.js';
import { createSiteResolver } from '../dist/recorder/source-sites.js';
import { median, round } from './lib/stats.mjs';

const args = process.argv.slice(2);
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
const ROUNDS = QUICK ? 5 : 15;
const CALLS = QUICK ? 2_000 : 10_000;
const COLD = QUICK ? 20 : 60;
const SECTIONS = 400;
const LINES_PER_MODULE = 60;

// ─── a Turbopack-shaped build: app sources, one chunk of SECTIONS modules, an index map with sections ───
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v) digit |= 32;
    out += B64[digit];
  } while (v);
  return out;
}

function makeApp(dir) {
  const chunks = join(dir, '.next', 'server', 'chunks', 'ssr');
  mkdirSync(chunks, { recursive: true });
  mkdirSync(join(dir, 'app'), { recursive: true });
  const sections = [];
  const code = [];
  for (let m = 0; m < SECTIONS; m++) {
    const source = Array.from({ length: LINES_PER_MODULE }, (_, i) =>
      i === 0
        ? `export async function action${m}() {`
        : i === 1
          ? '  // refresh the dashboard’s tags — one per user' // real sources hold non-ASCII text: a slower decode
          : `  revalidateTag('t${m}-${i}', 'max');`,
    );
    writeFileSync(join(dir, 'app', `mod-${m}.ts`), `${source.join('\n')}\n`);
    // generated line i of the module <- source line i, column 2 (one segment per line)
    const mappings = Array.from(
      { length: LINES_PER_MODULE },
      (_, i) => `${vlq(2)}${vlq(0)}${vlq(i === 0 ? 0 : 1)}${vlq(i === 0 ? 2 : 0)}`,
    ).join(';');
    sections.push({
      offset: { line: code.length, column: 0 },
      // as Turbopack writes them: the module's source inlined (the bulk of a real map's bytes)
      map: { version: 3, sources: [`turbopack:///[project]/app/mod-${m}.ts`], sourcesContent: [source.join('\n')], names: [], mappings },
    });
    for (let i = 0; i < LINES_PER_MODULE; i++) code.push(`  a.revalidateTag("t${m}-${i}","max");`);
  }
  const chunk = join(chunks, 'app_chunk._.js');
  writeFileSync(chunk, `${code.join('\n')}\n//# sourceMappingURL=app_chunk._.js.map\n`);
  writeFileSync(`${chunk}.map`, JSON.stringify({ version: 3, sources: [], sections }));
  return chunk;
}

function deep(n, fn) {
  return n === 0 ? fn() : deep(n - 1, fn);
}

function timeNs(calls, fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / calls;
}

function captureWith(frames) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = frames;
  try {
    const site = {};
    Error.captureStackTrace(site, captureWith);
    return site;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cachescope-sites-'));
try {
  const chunk = makeApp(dir);
  const frameAt = (i) => [
    { file: '/x/node_modules/next/dist/server/app-render.js', line: 10, column: 5, fn: 'render' },
    { file: chunk, line: (i % (SECTIONS * LINES_PER_MODULE)) + 1, column: 3, fn: undefined },
  ];
  const rows = {};

  // capture (request path)
  const captureOld = [];
  const captureNew = [];
  for (let r = 0; r < ROUNDS; r++) {
    captureOld.push(deep(30, () => timeNs(CALLS, () => captureWith(1))));
    captureNew.push(deep(30, () => timeNs(CALLS, () => callSite(deep))));
  }
  rows.capture = { oneFrameNs: round(median(captureOld)), framesNs: round(median(captureNew)), frames: CALL_SITE_FRAMES };
  rows.capture.ratio = round(rows.capture.framesNs / rows.capture.oneFrameNs, 2);

  // repeated calls (fetch, unstable_cache, 'use cache', dynamic reads) under next start: the place's
  // first capture names the later calls, which pay four map lookups instead (50 routes, 3 URLs each)
  const memoize = callSitePolicy.memoize;
  callSitePolicy.memoize = true;
  const memo = placeMemo('bench');
  const routes = Array.from({ length: 50 }, (_, i) => `/route-${i}`);
  const urls = ['https://api.example/items', 'https://api.example/users', 'https://api.example/posts'];
  const repeated = [];
  for (let r = 0; r < ROUNDS; r++)
    repeated.push(deep(30, () => timeNs(CALLS, (i) => repeatedCallSite(memo, deep, routes[i % 50], urls[i % 3], undefined, 'tag'))));
  callSitePolicy.memoize = memoize;
  rows.capture.repeatedNs = round(median(repeated));

  // flush baseline: the top frame as text
  const base = [];
  for (let r = 0; r < ROUNDS; r++) {
    const sites = Array.from({ length: CALLS }, () => deep(5, () => callSite(deep)));
    base.push(timeNs(CALLS, (i) => callSiteOf(sites[i])));
  }
  // frames as data (what finalize reads now), without resolution
  const read = [];
  for (let r = 0; r < ROUNDS; r++) {
    const sites = Array.from({ length: CALLS }, () => deep(5, () => callSite(deep)));
    read.push(timeNs(CALLS, (i) => callFramesOf(sites[i])));
  }
  // cold: a new resolver per event, so every resolution reads and parses the chunk's map
  process.env.NODE_ENV = 'production';
  const cold = [];
  for (let r = 0; r < COLD; r++) {
    // the rows above leave a heap of captured sites: collected here, not inside a timed load
    globalThis.gc?.();
    cold.push(timeNs(1, (i) => createSiteResolver(dir).resolve(frameAt(r * 7919 + i))));
  }
  // cached: one resolver, every position seen before
  const resolver = createSiteResolver(dir);
  for (let i = 0; i < CALLS; i++) resolver.resolve(frameAt(i % 500));
  const cached = [];
  for (let r = 0; r < ROUNDS; r++) cached.push(timeNs(CALLS, (i) => resolver.resolve(frameAt(i % 500))));
  const check = resolver.resolve(frameAt(LINES_PER_MODULE + 5));
  if (check?.file !== 'app/mod-1.ts' || check.line !== 6 || check.fn !== 'action1')
    throw new Error(`resolution is wrong: ${JSON.stringify(check)}`);

  rows.flush = {
    baselineNs: round(median(base)),
    framesReadNs: round(median(read)),
    coldNs: round(median(cold)),
    cachedNs: round(median(cached)),
  };
  rows.flush.cachedRatio = round((rows.flush.framesReadNs + rows.flush.cachedNs) / rows.flush.baselineNs, 2);
  rows.flush.coldRatio = round((rows.flush.framesReadNs + rows.flush.coldNs) / rows.flush.baselineNs, 1);

  const lines = [
    `call-site capture (request path, 30 frames deep): ${rows.capture.framesNs} ns with ${CALL_SITE_FRAMES} frames vs ${rows.capture.oneFrameNs} ns with 1 (ratio ${rows.capture.ratio})`,
    `repeated call (fetch, unstable_cache, 'use cache', dynamic read) under next start, the place seen before: ${rows.capture.repeatedNs} ns (in dev every call is captured: ${rows.capture.framesNs} ns)`,
    `flush per event, no resolution (top frame as text): ${rows.flush.baselineNs} ns`,
    `flush per event, frames read + resolved, cached position: ${rows.flush.framesReadNs} + ${rows.flush.cachedNs} ns (ratio ${rows.flush.cachedRatio})`,
    `flush per event, frames read + resolved, cold (map of ${SECTIONS} modules read and parsed): ${rows.flush.framesReadNs} + ${rows.flush.coldNs} ns (ratio ${rows.flush.coldRatio})`,
  ];
  console.log(lines.join('\n'));
  if (outFile) writeFileSync(outFile, JSON.stringify(rows, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
