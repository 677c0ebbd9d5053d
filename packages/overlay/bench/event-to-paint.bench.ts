// Issue 4 benchmark: event recorded on the server → its row painted in Chromium (goal: p95 ≤ 100 ms).
//
// Starts the demo with the real-Next harness (dev, then prod with its own distDir), opens `/` in Debian
// Chromium, opens the overlay on its Requests tab and installs a MutationObserver in the overlay's shadow
// root. Then, from Node (so the page never navigates), it requests `/broken` N times, one at a time with a
// pause; each request records a fetch event that shows up as a new `cachescope-call-row`. For every new
// row (new `data-event-id`) the page records ≈ next paint as rAF → setTimeout → epoch ms. The event's
// server-side `ts` (epoch ms, recorded in the Next process) comes from the stream's `/snapshot` by id.
// Same machine, so both clocks are the same wall clock.
//
// Alongside, a Node SSE client on `/events` records when each event left the stream server, to split the
// latency into "server → SSE delivered" and "delivered → painted".
//
//   pnpm --filter @cachescope/overlay bench:paint
//   BENCH_PAINT_N=40 BENCH_PAINT_MODES=dev,prod (defaults)
// Writes bench/paint-results.json (git-ignored).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStream } from '@cachescope/instrument/protocol';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, freshSession, startDemo, type DemoServer } from '@cachescope/harness';

const N = Number(process.env.BENCH_PAINT_N ?? 40);
const PAUSE_MS = Number(process.env.BENCH_PAINT_PAUSE_MS ?? 300);
const WARMUP = 3;
const GOAL_P95_MS = 100;
const MODES = (process.env.BENCH_PAINT_MODES ?? 'dev,prod').split(',').map((m) => m.trim()) as ('dev' | 'prod')[];
const RESULTS = join(fileURLToPath(new URL('.', import.meta.url)), 'paint-results.json');

interface Stats {
  count: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
}
interface ModeResult {
  mode: 'dev' | 'prod';
  requests: number;
  /** event ts (server, call start) → row painted: the figure */
  eventToPaint: Stats;
  /** event ts + durationMs (the call settled) → row painted */
  settleToPaint: Stats;
  /** event ts → SSE message received by a Node client on the same stream */
  eventToSse: Stats | null;
  /** SSE received (Node client) → row painted */
  sseToPaint: Stats | null;
  /** row inserted in the DOM → ≈ painted (rAF + setTimeout) */
  insertToPaint: Stats;
  goalP95Ms: number;
  meetsGoal: boolean;
  samples: { id: number; type: string; ts: number; durationMs?: number; sse?: number; inserted: number; painted: number }[];
}

const results: ModeResult[] = [];

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { count: s.length, p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1] ?? NaN), min: r(s[0] ?? NaN) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node-side stream client (live from now): epoch ms at which each event id arrived. */
function listenSse(streamUrl: string): { arrivals: Map<number, number>; stop: () => void } {
  const arrivals = new Map<number, number>();
  let cursor: number | null = null;
  const client = openStream(
    { url: streamUrl, cursor: () => cursor },
    {
      onBatch(events, lastId) {
        const now = Date.now();
        if (lastId !== null) cursor = lastId;
        for (const event of events) if (!arrivals.has(event.id)) arrivals.set(event.id, now);
      },
    },
  );
  return { arrivals, stop: () => client.close() };
}

/** Installs the paint probe in the overlay's shadow root; rows present now count as already seen. */
async function installProbe(page: Page) {
  await page.evaluate(() => {
    // not Next's dev overlay (`nextjs-portal` has a shadow root too): the one showing cachescope rows
    const host = [...document.body.querySelectorAll('*')].find((el) => el.shadowRoot?.querySelector('[data-testid="cachescope-call-row"]'));
    if (!host?.shadowRoot) throw new Error('overlay shadow root not found');
    const root = host.shadowRoot;
    const seen = new Set<string>();
    const out: { id: number; inserted: number; painted: number }[] = [];
    const now = () => performance.timeOrigin + performance.now();
    for (const el of root.querySelectorAll('[data-event-id]')) seen.add(el.getAttribute('data-event-id')!);
    const visit = (el: Element, inserted: number) => {
      const rows = el.matches('[data-event-id]') ? [el] : [...el.querySelectorAll('[data-event-id]')];
      for (const row of rows) {
        const id = row.getAttribute('data-event-id')!;
        if (seen.has(id)) continue;
        seen.add(id);
        requestAnimationFrame(() => setTimeout(() => out.push({ id: Number(id), inserted, painted: now() })));
      }
    };
    new MutationObserver((records) => {
      const t = now();
      for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) visit(n, t);
    }).observe(root, { childList: true, subtree: true });
    (window as unknown as { __paint: typeof out }).__paint = out;
  });
}

describe.each(MODES)('event → paint, next %s', (mode) => {
  let demo: DemoServer | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it(`${N} /broken requests: server event ts → row painted`, async () => {
    const port = await freePort();
    demo = await startDemo(
      mode === 'dev'
        ? { mode, env: { CACHESCOPE_PORT: String(port) } }
        : // the build's overlay looks from the default port on: no CACHESCOPE_PORT in start either
          { mode, distDir: '.next-bench-paint', env: { CACHESCOPE_ENABLED: '1' } },
    );
    const streamUrl = demo.streamUrl();
    if (!streamUrl) throw new Error(`no stream in the demo's log:\n${demo.tail()}`);
    const cookie = freshSession('alice');
    const hit = async () => {
      const res = await fetch(`${demo!.baseUrl}/broken`, { headers: { cookie } });
      await res.text();
      expect(res.status).toBe(200);
    };
    for (let i = 0; i < WARMUP; i++) await hit(); // dev compiles /broken on the first hit

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${demo.baseUrl}/`);
    await page.getByRole('button', { name: 'Open cachescope' }).click({ timeout: 60_000 });
    await page.getByRole('tab', { name: /^Requests/ }).click();
    await page.getByTestId('cachescope-call-row').first().waitFor({ timeout: 30_000 }); // the warm-up rows
    await sleep(1_000); // let the initial backlog settle
    await installProbe(page);
    const sse = listenSse(streamUrl);
    await sleep(500);

    const firstTs = Date.now();
    for (let i = 0; i < N; i++) {
      await hit();
      await sleep(PAUSE_MS);
    }
    await sleep(1_500);
    sse.stop();

    const painted = await page.evaluate(
      () => (window as unknown as { __paint: { id: number; inserted: number; painted: number }[] }).__paint,
    );
    const snapshot = (await (await fetch(`${streamUrl}/snapshot`)).json()) as {
      events: { id: number; ts: number; type: string; route?: string; durationMs?: number }[];
    };
    const byId = new Map(snapshot.events.map((e) => [e.id, e]));
    const samples: ModeResult['samples'] = [];
    for (const p of painted) {
      const e = byId.get(p.id);
      if (!e || e.ts < firstTs - 50 || e.type !== 'fetch') continue; // only the fetch rows our requests made
      samples.push({
        id: e.id,
        type: e.type,
        ts: e.ts,
        durationMs: e.durationMs,
        sse: sse.arrivals.get(e.id),
        inserted: p.inserted,
        painted: p.painted,
      });
    }
    expect(samples.length).toBeGreaterThanOrEqual(Math.floor(N * 0.9));

    const withSse = samples.filter((s) => s.sse !== undefined);
    const eventToPaint = stats(samples.map((s) => s.painted - s.ts));
    const result: ModeResult = {
      mode,
      requests: N,
      eventToPaint,
      settleToPaint: stats(samples.map((s) => s.painted - (s.ts + (s.durationMs ?? 0)))),
      eventToSse: withSse.length ? stats(withSse.map((s) => s.sse! - s.ts)) : null,
      sseToPaint: withSse.length ? stats(withSse.map((s) => s.painted - s.sse!)) : null,
      insertToPaint: stats(samples.map((s) => s.painted - s.inserted)),
      goalP95Ms: GOAL_P95_MS,
      meetsGoal: eventToPaint.p95 <= GOAL_P95_MS,
      samples,
    };
    results.push(result);
    const f = (s: Stats | null) => (s ? `p50 ${s.p50} p95 ${s.p95} max ${s.max}` : 'n/a');
    console.log(
      `[bench:paint] ${mode.padEnd(4)} rows=${eventToPaint.count} (${N} requests)  event→paint ${f(eventToPaint)} ms  ` +
        `(goal p95 ≤ ${GOAL_P95_MS}: ${result.meetsGoal ? 'MET' : 'MISSED'})  | settle→paint ${f(result.settleToPaint)} | ` +
        `event→SSE ${f(result.eventToSse)} | SSE→paint ${f(result.sseToPaint)} | insert→paint ${f(result.insertToPaint)}`,
    );
    writeFileSync(RESULTS, `${JSON.stringify({ generatedAt: new Date().toISOString(), pauseMs: PAUSE_MS, results }, null, 2)}\n`);
  });
});
