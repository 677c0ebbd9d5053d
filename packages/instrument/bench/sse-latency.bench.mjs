// Event -> SSE client latency: the recorder, the pipeline (its real 10 ms flush timer), the analysis,
// the stream server on port 0 (its real 25 ms batch window) and the stream client, all in one process.
// Facts are recorded at a steady rate; each received event's latency is (receive time - the moment
// the fact was complete), on the same clock (performance.timeOrigin + performance.now()):
// - non-fetch facts (cache reads / writes, revalidations, dynamic API reads) are complete when recorded:
//   latency = receive - event.ts;
// - a fetch is complete when it settles, and the pipeline then waits a 10 ms grace for a background
//   refetch before finalizing it: latency = receive - (event.ts + event.durationMs).
// Run: `node bench/sse-latency.bench.mjs [--out file.json]` from packages/instrument. Imports dist/.
import { writeFileSync } from 'node:fs';
import { quantileSorted, round, sorted } from './lib/stats.mjs';

const args = process.argv.slice(2);
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const QUICK = process.env.CACHESCOPE_BENCH_QUICK === '1';
const RATE = Number(process.env.CACHESCOPE_BENCH_SSE_RATE ?? 200); // facts per second
const SECONDS = Number(process.env.CACHESCOPE_BENCH_SSE_SECONDS ?? (QUICK ? 3 : 10));
const GOAL_P95_MS = 50;

const dist = new URL('../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const { installRecorder } = await load('recorder/recorder.js');
const { now } = await load('recorder/global.js');
const { createPipeline } = await load('recorder/pipeline.js');
const { createAnalyzer } = await load('analysis/analyzer.js');
const { startStreamServer } = await load('stream/index.js');
const { openStream } = await load('protocol/stream-client.js');

const recorder = installRecorder();
const CONTEXT = Object.freeze({ requestId: 1, route: '/pattern-1', workUnit: 'request', phase: 'render', requestKind: 'page' });
recorder.context = () => CONTEXT;
const pipeline = createPipeline({ recorder, analysis: createAnalyzer() });
const server = await startStreamServer({ source: pipeline, port: 0 });
if (server.mode !== 'leader' || !server.url) throw new Error(`stream server not serving (mode ${server.mode})`);

const latencies = { fetch: [], other: [] };
let received = 0;
let gaps = 0;
let markOpen;
const opened = new Promise((resolve) => (markOpen = resolve));
const client = openStream(
  { url: server.url, cursor: () => null },
  {
    onStatus(status) {
      if (status === 'open') markOpen();
    },
    onGap() {
      gaps++;
    },
    onBatch(events) {
      const at = now();
      for (const event of events) {
        if (event.type === 'fetch') {
          if (typeof event.durationMs === 'number') latencies.fetch.push(at - (event.ts + event.durationMs));
        } else if (event.type === 'cache-get' || event.type === 'revalidation-commit') {
          latencies.other.push(at - event.ts);
        }
        received++;
      }
    },
  },
);
await opened;

const recorded = { fetch: 0, other: 0 };
let seq = 0;
function recordOne() {
  seq++;
  if (seq % 2 === 0) {
    // a fetch, as the fetch trap records it: at the start, then settled on a side branch
    const frame = {
      kind: 'fetch',
      t: now(),
      ctx: recorder.context(),
      input: `https://api.example.test/dashboard?pattern=p1&n=${seq}`,
      init: { method: 'POST', headers: { cookie: 'session=alice.0123456789abcdef' } },
      declaredCache: undefined,
      declaredNext: { tags: ['dashboard-data'] },
      originCalls: 1,
    };
    recorder.record(frame);
    Promise.resolve().then(() => {
      frame.end = now();
      frame.status = 200;
    });
    recorded.fetch++;
  } else {
    // a data-cache read seen by the recording handler outside any fetch frame
    recorder.record({
      kind: 'cache-get',
      handler: 'incremental',
      entryKind: 'FETCH',
      key: `key-${seq % 50}`,
      tags: ['p1:dashboard-data'],
      softTags: [],
      result: 'hit',
      url: 'https://api.example.test/dashboard?pattern=p1',
      t: now(),
      ctx: recorder.context(),
    });
    recorded.other++;
  }
}

// Steady rate: a 5 ms ticker records whatever is due since the start (catches up after a late tick).
const started = performance.now();
let done = 0;
const total = RATE * SECONDS;
await new Promise((resolve) => {
  const ticker = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
    while (done < due) {
      recordOne();
      done++;
    }
    if (done >= total) {
      clearInterval(ticker);
      resolve();
    }
  }, 5);
});
await new Promise((r) => setTimeout(r, 500)); // let the tail arrive

client.close();
const stats = server.stats();
await server.close();
pipeline.stop();

function summarize(values) {
  const s = sorted(values);
  return {
    count: s.length,
    p50: round(quantileSorted(s, 0.5), 1),
    p95: round(quantileSorted(s, 0.95), 1),
    p99: round(quantileSorted(s, 0.99), 1),
    max: round(s[s.length - 1], 1),
  };
}
const all = summarize([...latencies.fetch, ...latencies.other]);
const out = {
  node: process.version,
  ratePerSecond: RATE,
  seconds: SECONDS,
  recorded,
  received,
  gaps,
  framesSent: stats.framesSent,
  all,
  nonFetch: summarize(latencies.other),
  fetch: summarize(latencies.fetch),
  goalP95Ms: GOAL_P95_MS,
  method:
    'in-process recorder -> pipeline (10 ms flush, 10 ms fetch settle grace) -> analysis -> stream server (25 ms batch window) -> the stream client (protocol/) over loopback; latency from the fact being complete (record, or fetch settle) to the client parsing the batch',
};
const json = JSON.stringify(out, null, 2);
if (outFile) writeFileSync(outFile, json);
else console.log(json);
process.stderr.write(
  `  sse latency: all p50 ${all.p50} ms p95 ${all.p95} ms p99 ${all.p99} ms | non-fetch p95 ${out.nonFetch.p95} ms | fetch (from settle) p95 ${out.fetch.p95} ms | received ${received}/${recorded.fetch + recorded.other}\n`,
);
