// Load: `next start` of the demo at a steady request rate, with cachescope and without, from an
// open-loop generator on loopback. Reports, for the cachescope side: the next-server RSS over time
// (must stay bounded: the ring buffer and the tag index are capped, `dropped` rises instead), whether an
// SSE client and `cachescope tail --json` kept up or said how much they missed; for both: latency and the
// overhead ratio. A measurement, not a test of the default run:
//
//   pnpm --filter @cachescope/instrument bench:load          (vitest --project bench-load)
//   LOAD_RATE=200 LOAD_SECONDS=30 LOAD_ROUNDS=2 LOAD_USERS=1000   (req/s, seconds per side per round, rounds,
//                                                                  distinct sessions; LOAD_CLIENTS=0: no stream clients)
//
// Rounds alternate the sides (with, plain, plain, with, …) so drift on a shared machine hits both alike.
// Figures go to stdout and to test-artifacts/bench-load.json. Every loop is bounded (rate × seconds).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { Snapshot } from '../src/protocol/events.js';
import { openStream } from '../src/protocol/stream-client.js';
import { DEMO_DIR, ensureBuild, freePort, resolveActionId, sleep, startDemo, type DemoServer } from '@cachescope/harness';

const RATE = Number(process.env.LOAD_RATE ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 2);
const MAX_IN_FLIGHT = Number(process.env.LOAD_MAX_IN_FLIGHT ?? 256);
/** Distinct signed-in sessions the requests cycle through: each is its own cache entry and per-user tag. */
const USERS = Number(process.env.LOAD_USERS ?? 1000);
const REVALIDATE_EVERY = 25; // one request in 25 is a revalidating Server Action or route handler
const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const PAGES = ['/pattern-1', '/pattern-2', '/pattern-3', '/broken', '/sledgehammer', '/'];
const ACTIONS = [
  ['/pattern-1', 'refresh-mine'],
  ['/pattern-2', 'refresh-everyone'],
  ['/sledgehammer', 'refresh-mine'],
  ['/pattern-1', 'update-mine'],
] as const;

type Side = { label: 'with' | 'plain'; demo: DemoServer; streamUrl?: string; pid: number; actionIds: string[] };
type Sample = { t: number; rssMb: number };
type RoundResult = {
  side: Side['label'];
  round: number;
  sent: number;
  ok: number;
  errors: number;
  skipped: number;
  latencies: number[];
  rss: Sample[];
};

/** The pid of the process listening on `port` (/proc/net/tcp inode → /proc/<pid>/fd). */
function pidListeningOn(port: number): number {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m && inodes.has(m[1]!)) return Number(pid);
      }
    } catch {
      /* not ours or gone */
    }
  }
  throw new Error(`no process listens on ${port}`);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

async function prepare(label: Side['label'], streamPort: number): Promise<Side> {
  const env: Record<string, string> =
    label === 'with' ? { CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(streamPort) } : { CACHESCOPE: 'off' };
  const distDir = label === 'with' ? '.next-safety' : '.next-safety-plain';
  await ensureBuild({ cacheComponents: true, distDir, env });
  rmSync(`${DEMO_DIR}/${distDir}/cache/fetch-cache`, { recursive: true, force: true }); // same start state for both sides
  const demo = await startDemo({ mode: 'prod', distDir, env });
  const warm = `session=carol.${randomBytes(8).toString('hex')}`;
  const actionIds: string[] = [];
  for (const [path, action] of ACTIONS) actionIds.push(await resolveActionId(demo.baseUrl, path, action, warm));
  return {
    label,
    demo,
    streamUrl: label === 'with' ? `http://127.0.0.1:${streamPort}` : undefined,
    pid: pidListeningOn(demo.port),
    actionIds,
  };
}

/** Open loop: one request every 1000/RATE ms for SECONDS, whatever the server does; in-flight capped. */
async function drive(side: Side, round: number): Promise<RoundResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const url = new URL(side.demo.baseUrl);
  const users = Array.from({ length: USERS }, (_, i) => `session=${['alice', 'bob', 'carol'][i % 3]}.${randomBytes(8).toString('hex')}`);
  const result: RoundResult = { side: side.label, round, sent: 0, ok: 0, errors: 0, skipped: 0, latencies: [], rss: [] };
  const total = RATE * SECONDS;
  const interval = 1000 / RATE;
  let inFlight = 0;
  const started = performance.now();
  const sampler = setInterval(() => result.rss.push({ t: Math.round(performance.now() - started), rssMb: rssMb(side.pid) }), 1000);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight >= MAX_IN_FLIGHT) {
      result.skipped++;
      continue;
    }
    const cookie = users[Math.floor(i / PAGES.length) % users.length]!;
    let method = 'GET';
    let path = PAGES[i % PAGES.length]!;
    let headers: Record<string, string> = { cookie };
    let body: string | undefined;
    if (i % REVALIDATE_EVERY === REVALIDATE_EVERY - 1) {
      const k = Math.floor(i / REVALIDATE_EVERY) % (ACTIONS.length + 1);
      method = 'POST';
      if (k === ACTIONS.length) path = '/api/announcements';
      else {
        path = ACTIONS[k]![0];
        headers = {
          cookie,
          'next-action': side.actionIds[k]!,
          'content-type': 'text/plain;charset=UTF-8',
          accept: 'text/x-component',
          origin: side.demo.baseUrl,
        };
        body = '[]';
      }
    }
    inFlight++;
    result.sent++;
    const t0 = performance.now();
    pending.push(
      new Promise<void>((resolve) => {
        const req = request({ host: url.hostname, port: url.port, path, method, headers, agent, timeout: 30_000 }, (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 500) < 400) {
              result.ok++;
              result.latencies.push(performance.now() - t0);
            } else result.errors++;
            inFlight--;
            resolve();
          });
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => {
          result.errors++;
          inFlight--;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  clearInterval(sampler);
  result.rss.push({ t: Math.round(performance.now() - started), rssMb: rssMb(side.pid) });
  agent.destroy();
  return result;
}

/** A live stream client: counts the events it received and the gaps it was told about. */
function sseClient(streamUrl: string) {
  const stats = { events: 0, gaps: 0, missed: 0, firstId: 0, lastId: 0 };
  let hello = false;
  let cursor: number | null = null;
  const client = openStream(
    { url: streamUrl, cursor: () => cursor },
    {
      onHello: () => (hello = true),
      onBatch(events, lastId) {
        cursor = lastId ?? cursor;
        stats.events += events.length;
        if (!stats.firstId && events.length) stats.firstId = events[0]!.id;
        if (events.length) stats.lastId = events.at(-1)!.id;
      },
      onGap(gap) {
        stats.gaps++;
        stats.missed += gap.missed;
      },
    },
  );
  return { stats, ready: () => hello, stop: () => client.close() };
}

/** `cachescope tail --json`: counts event lines and gap lines. */
function tailClient(streamUrl: string) {
  const stats = { events: 0, gaps: 0, missed: 0, lastId: 0 };
  const child = spawn(process.execPath, [CLI, 'tail', '--json', '--url', streamUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let following = false;
  child.stderr.on('data', (d: Buffer) => (following ||= d.toString().includes('following')));
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      const obj = JSON.parse(line) as { stream?: string; missed?: number; id?: number };
      if (obj.stream === 'gap') {
        stats.gaps++;
        stats.missed += obj.missed ?? 0;
      } else if (obj.stream === undefined && typeof obj.id === 'number') {
        stats.events++;
        stats.lastId = obj.id;
      }
    }
  });
  return { stats, ready: () => following, stop: () => child.kill('SIGINT') };
}

async function snapshotOf(streamUrl: string): Promise<Snapshot> {
  return (await (await fetch(`${streamUrl}/snapshot`)).json()) as Snapshot;
}

test(`load: ${RATE} req/s × ${SECONDS} s × ${ROUNDS} rounds per side, with and without cachescope`, async () => {
  const streamPort = await freePort();
  const withSide = await prepare('with', streamPort);
  const plainSide = await prepare('plain', streamPort);
  const results: RoundResult[] = [];
  const streamUrl = withSide.streamUrl!;
  const clients = process.env.LOAD_CLIENTS !== '0';
  const sse = clients ? sseClient(streamUrl) : undefined;
  const tail = clients ? tailClient(streamUrl) : undefined;
  const deadline = Date.now() + 20_000;
  while (clients && !(sse!.ready() && tail!.ready()) && Date.now() < deadline) await sleep(100);
  await sleep(500);
  const idAtStart = (await snapshotOf(streamUrl)).events.at(-1)?.id ?? 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [withSide, plainSide] : [plainSide, withSide];
      for (const side of order) {
        results.push(await drive(side, round));
        await sleep(2_000); // let the background refetches and the stream settle
      }
    }
  } finally {
    await sleep(1_000);
    sse?.stop();
    tail?.stop();
  }
  const snap = await snapshotOf(streamUrl);
  await withSide.demo.stop();
  await plainSide.demo.stop();

  const side = (label: Side['label']) => {
    const rounds = results.filter((r) => r.side === label);
    const lat = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const sent = rounds.reduce((n, r) => n + r.sent, 0);
    const ok = rounds.reduce((n, r) => n + r.ok, 0);
    const rss = rounds.flatMap((r) => r.rss.map((s) => s.rssMb));
    return {
      sent,
      ok,
      errors: rounds.reduce((n, r) => n + r.errors, 0),
      skippedAtCap: rounds.reduce((n, r) => n + r.skipped, 0),
      achievedRps: Math.round(ok / (SECONDS * ROUNDS)),
      p50: pct(lat, 50),
      p95: pct(lat, 95),
      p99: pct(lat, 99),
      mean: lat.reduce((a, b) => a + b, 0) / (lat.length || 1),
      rssStartMb: rounds[0]?.rss[0]?.rssMb,
      rssMaxMb: Math.max(...rss),
      rssEndMb: rounds.at(-1)?.rss.at(-1)?.rssMb,
      rssByRound: rounds.map((r) => ({
        round: r.round,
        first: r.rss[0]?.rssMb,
        max: Math.max(...r.rss.map((s) => s.rssMb)),
        last: r.rss.at(-1)?.rssMb,
      })),
    };
  };
  const withStats = side('with');
  const plainStats = side('plain');
  const produced = (snap.events.at(-1)?.id ?? 0) - idAtStart;
  const figures = {
    command: 'pnpm --filter @cachescope/instrument bench:load',
    rate: RATE,
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    with: withStats,
    plain: plainStats,
    overhead: {
      p50Ratio: withStats.p50 / plainStats.p50,
      p95Ratio: withStats.p95 / plainStats.p95,
      p99Ratio: withStats.p99 / plainStats.p99,
      meanRatio: withStats.mean / plainStats.mean,
      throughputRatio: withStats.ok / plainStats.ok,
    },
    cachescope: {
      eventsProduced: produced,
      retainedEvents: snap.events.length,
      dropped: snap.dropped,
      index: snap.index,
      tags: snap.tags.length,
      findings: snap.findings.length,
      internalErrors: snap.internalErrors ?? [],
    },
    sseClient: sse && { ...sse.stats, accountedFor: sse.stats.events + sse.stats.missed },
    cliTail: tail && { ...tail.stats, accountedFor: tail.stats.events + tail.stats.missed },
  };
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/bench-load.json', JSON.stringify(figures, null, 1));
  const f = (x: number | undefined, d = 1) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
  console.log(
    [
      `load: ${RATE} req/s open loop, ${SECONDS} s × ${ROUNDS} rounds per side, ${USERS} sessions, 1/${REVALIDATE_EVERY} requests revalidate, ≤ ${MAX_IN_FLIGHT} in flight`,
      `                 sent     ok  errors  capped  req/s   p50 ms   p95 ms   p99 ms   RSS start→max→end MB`,
      ...(['with', 'plain'] as const).map((label) => {
        const s = label === 'with' ? withStats : plainStats;
        return `  ${label.padEnd(12)} ${String(s.sent).padStart(6)} ${String(s.ok).padStart(6)} ${String(s.errors).padStart(7)} ${String(s.skippedAtCap).padStart(7)} ${String(s.achievedRps).padStart(6)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.p99).padStart(8)}   ${f(s.rssStartMb, 0)}→${f(s.rssMaxMb, 0)}→${f(s.rssEndMb, 0)}`;
      }),
      `  overhead (with / plain): p50 ×${f(figures.overhead.p50Ratio, 2)}, p95 ×${f(figures.overhead.p95Ratio, 2)}, p99 ×${f(figures.overhead.p99Ratio, 2)}, mean ×${f(figures.overhead.meanRatio, 2)}, throughput ×${f(figures.overhead.throughputRatio, 3)}`,
      `  cachescope: ${produced} events produced, ${snap.events.length} retained, dropped ${snap.dropped}, tag index ${snap.index?.liveEntries ?? '?'} live / ${snap.index?.evicted ?? '?'} evicted, ${snap.tags.length} tags`,
      sse
        ? `  SSE client: ${sse.stats.events} events + ${sse.stats.missed} reported missed (${sse.stats.gaps} gaps) of ${produced}`
        : '  (no stream clients: LOAD_CLIENTS=0)',
      tail
        ? `  cachescope tail --json: ${tail.stats.events} events + ${tail.stats.missed} reported missed (${tail.stats.gaps} gaps) of ${produced}`
        : '',
    ].join('\n'),
  );

  // The bounds this bench exists for.
  expect(snap.events.length).toBeLessThanOrEqual(5_000); // the ring buffer cap
  if (produced > 5_000) expect(snap.dropped).toBeGreaterThan(0);
  // Memory: the last round ends within 25% (and 150 MB) of where the first round ended: no unbounded growth.
  const rounds = withStats.rssByRound;
  if (rounds.length >= 2) expect(rounds.at(-1)!.last!).toBeLessThan(Math.max(rounds[0]!.last! * 1.25, rounds[0]!.last! + 150));
  // Clients either received an event or were told they missed it (1 % slack for the final in-flight batch).
  for (const client of [figures.sseClient, figures.cliTail])
    if (client) expect(client.accountedFor).toBeGreaterThanOrEqual(produced * 0.99);
}, 3_600_000);
