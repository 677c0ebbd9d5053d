// The OTLP endpoint fails: nothing listens on it, it accepts and never answers, it answers 500 to every
// export. `next start` of the demo with CACHESCOPE_ENABLED=1 exporting there, beside the same demo without
// cachescope, driven through the same pages and refresh actions: every answer and every backend hit must
// be the same, the server must stay up, and cachescope must report the export fault exactly once in its
// log (not once per failed batch) and as an `otel.export` internal error in /snapshot.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freshSession, getPage, sleep } from '@cachescope/harness';
import {
  actionOutcome,
  blocks,
  pageOutcome,
  snapshotOf,
  startPair,
  step,
  warmUp,
  type Pair,
  type Pattern,
  type Side,
  type StepRecord,
} from './support.js';

/** Its own builds (`.next-safety-otel` and `-plain`): the export settings are run-time env, the builds are plain CACHESCOPE_ENABLED=1 / off ones. */
const DIST = '.next-safety-otel';
const EXPORT_FAILED = /OTLP export to \S+ failed/g;

type Endpoint = { url: string; requests: () => number; close(): Promise<void> };

function listening(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function closing(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An HTTP server that reads each export request and then does something (or nothing) with it. */
async function serving(answer: (res: import('node:http').ServerResponse) => void): Promise<Endpoint> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => answer(res));
  });
  const port = await listening(server);
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => closing(server) };
}

const FAULTS = [
  {
    name: 'nothing listens on the endpoint port',
    // A port probed free and left closed: every export is refused.
    endpoint: async (): Promise<Endpoint> => ({
      url: `http://127.0.0.1:${await freePort()}`,
      requests: () => Number.NaN,
      close: async () => {},
    }),
    detail: /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
  },
  {
    name: 'the endpoint accepts and never answers',
    endpoint: () => serving(() => {}),
    detail: /Request timed out/,
  },
  {
    name: 'the endpoint answers 500 to every export',
    endpoint: () => serving((res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('collector on fire')),
    detail: /HTTP 500 Internal Server Error/,
  },
] as const;

/** Short export cycles, so a few seconds of traffic make many failed export attempts. */
const OTEL_ENV = { OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_EXPORTER_OTLP_TIMEOUT: '1000', OTEL_BSP_EXPORT_TIMEOUT: '3000' };

const SCRIPT: { pattern: Pattern; path: string; actions: string[] }[] = [
  { pattern: 'broken', path: '/broken', actions: ['refresh-mine'] },
  { pattern: 'p1', path: '/pattern-1', actions: ['refresh-mine', 'update-mine'] },
  { pattern: 'p2', path: '/pattern-2', actions: ['refresh-mine', 'refresh-everyone'] },
  { pattern: 'p3', path: '/pattern-3', actions: ['refresh-mine'] },
];

describe.each(FAULTS)('OTLP export fault: $name', (fault) => {
  let endpoint: Endpoint | undefined;
  let pair: Pair | undefined;
  let firstStepAt = 0;
  const trace: Record<Side['label'], StepRecord[]> = { with: [], plain: [] };

  beforeAll(async () => {
    endpoint = await fault.endpoint();
    pair = await startPair({ mode: 'prod', distDir: DIST, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint.url, ...OTEL_ENV } });
    const warm = freshSession('carol');
    await Promise.all(pair.both.map((side) => warmUp(side, warm)));
  });
  afterAll(async () => {
    if (pair) {
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync(`test-artifacts/safety-otlp-${fault.name.replace(/\W+/g, '-')}.log`, pair.with.demo.logs());
    }
    await pair?.stop();
    await endpoint?.close();
  });

  it('the app answers every step as it does without cachescope, with the same backend hits', async () => {
    const p = pair!;
    const run = (name: string, body: (side: Side) => Promise<Record<string, unknown>>) => step(p, name, body, trace, 400);
    firstStepAt = Date.now();
    for (const { pattern, path, actions } of SCRIPT) {
      const alice = freshSession('alice');
      const bob = freshSession('bob');
      await run(`GET ${path} as alice`, (s) => pageOutcome(s.demo.baseUrl, path, alice));
      await run(`GET ${path} as alice again`, (s) => pageOutcome(s.demo.baseUrl, path, alice));
      await run(`GET ${path} as bob`, (s) => pageOutcome(s.demo.baseUrl, path, bob));
      for (const action of actions) {
        await run(`${action} on ${path} as alice`, (s) => actionOutcome(s, pattern, action, alice));
        await run(`GET ${path} as alice after ${action}`, (s) => pageOutcome(s.demo.baseUrl, path, alice));
        await run(`GET ${path} as bob after ${action}`, (s) => pageOutcome(s.demo.baseUrl, path, bob));
      }
    }
    for (let i = 0; i < trace.plain.length; i++) expect(trace.with[i], `step ${i}: ${trace.plain[i]!.step}`).toEqual(trace.plain[i]);
    expect(p.with.demo.backend.stats()).toEqual(p.plain.demo.backend.stats());
    // The steps did real work: users' blocks on every page, some served from the cache, some refetched.
    const pages = trace.plain.filter((r) => r.step.startsWith('GET '));
    expect(pages.every((r) => r.outcome.status === 200 && (r.outcome.blocks as string[]).length >= 1)).toBe(true);
    expect(pages.some((r) => Object.keys(r.hits).length === 0)).toBe(true);
    expect(pages.some((r) => Object.keys(r.hits).length > 0)).toBe(true);
  }, 600_000);

  it('the fault is reported once in the log and in /snapshot, and the server is still up', async () => {
    const p = pair!;
    // At least two export attempts failed (many batches: every request makes spans) before looking.
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      !(endpoint!.requests() >= 2 || (Number.isNaN(endpoint!.requests()) && Date.now() - firstStepAt > 5_000))
    )
      await sleep(200);
    await sleep(2_500); // one more export cycle (schedule 200 ms + timeout 1 s) for a second log line to show, if any
    if (!Number.isNaN(endpoint!.requests())) expect(endpoint!.requests()).toBeGreaterThanOrEqual(2);

    const logs = p.with.demo.logs();
    const lines = logs.match(EXPORT_FAILED) ?? [];
    expect(lines, logs.slice(-3000)).toHaveLength(1);
    expect(logs).toMatch(new RegExp(`cachescope: OTLP export to ${endpoint!.url}/v1/traces failed: ${fault.detail.source}`));
    expect(logs).not.toMatch(/unhandled|uncaught|ERR_UNHANDLED/i);
    expect(p.plain.demo.logs()).not.toMatch(/OTLP|cachescope/i);

    const snap = await snapshotOf(p.with.streamUrl!);
    const exportErrors = (snap.internalErrors ?? []).filter((e) => e.where === 'otel.export');
    expect(exportErrors, JSON.stringify(snap.internalErrors)).toHaveLength(1);
    // one line, but every failed batch counted (where the endpoint counts the attempts: at least two)
    expect(exportErrors[0]!.count).toBeGreaterThanOrEqual(Number.isNaN(endpoint!.requests()) ? 1 : 2);
    expect(exportErrors[0]!.message).toMatch(new RegExp(`OTLP export to ${endpoint!.url}/v1/traces failed: ${fault.detail.source}`));
    expect((snap.internalErrors ?? []).filter((e) => e.where !== 'otel.export')).toEqual([]);
    expect(snap.events.filter((e) => e.type === 'internal-error')).toHaveLength(1);
    // cachescope kept recording meanwhile
    expect(snap.events.some((e) => e.type === 'unstable-cache' && e.route === '/pattern-1')).toBe(true);

    // Alive: both servers still answer a fresh user, and cachescope's stream still answers.
    for (const side of p.both) {
      const page = await getPage(side.demo.baseUrl, '/pattern-3', freshSession('bob'), 10_000);
      expect(page.status).toBe(200);
      expect(blocks(page.dashboards)).toEqual([
        expect.stringMatching(/^dashboard bob #\d+$/),
        expect.stringMatching(/^dashboard-summary bob #\d+$/),
      ]);
    }
    const health = (await (await fetch(`${p.with.streamUrl}/health`)).json()) as { cachescope: boolean };
    expect(health.cachescope).toBe(true);
  }, 120_000);
});
