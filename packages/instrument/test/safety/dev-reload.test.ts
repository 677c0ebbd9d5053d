// next dev: a file edit (HMR: Next restores and re-patches fetch) and a dev-server restart (a new server
// process) must leave cachescope's hooks installed exactly once: every backend hit of the probe page is
// one fetch event, before and after. The edited file (apps/demo/app/odd/hmr/page.tsx, a probe page
// not linked from the nav) is restored afterwards whatever happens.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchEvent } from '../../src/protocol/events.js';
import { DEMO_DIR, freePort, getPage, sleep, startDemo, waitFor, type DemoServer } from '@cachescope/harness';
import { snapshotOf } from './support.js';

const PROBE = join(DEMO_DIR, 'app', 'odd', 'hmr', 'page.tsx');
const MARK = "const HMR_MARK = 'hmr-0';";

describe('next dev: HMR and a dev-server restart keep the hooks installed, once', () => {
  let demo: DemoServer | undefined;
  let streamUrl = '';
  let original = '';

  beforeAll(async () => {
    original = readFileSync(PROBE, 'utf8');
    if (!original.includes(MARK)) throw new Error(`${PROBE} no longer contains ${MARK}`);
    const port = await freePort();
    streamUrl = `http://127.0.0.1:${port}`;
    demo = await startDemo({ mode: 'dev', distDir: '.next-safety-dev', env: { CACHESCOPE_PORT: String(port) }, readyPath: '/odd/hmr' });
  });
  afterAll(async () => {
    if (readFileSync(PROBE, 'utf8') !== original) writeFileSync(PROBE, original);
    await demo?.stop();
  });

  const probeHits = () => demo!.backend.stats().hits['odd-hmr']?.anonymous ?? 0;
  const probeEvents = async () =>
    (await snapshotOf(streamUrl)).events.filter((e): e is FetchEvent => e.type === 'fetch' && e.url.includes('pattern=odd-hmr'));
  const mark = async (html?: string) => /data-mark="([^"]+)"/.exec(html ?? (await getPage(demo!.baseUrl, '/odd/hmr')).html)?.[1];

  /** One request: one backend hit, and (once flushed) exactly one more fetch event. */
  async function oneRequestOneEvent(what: string) {
    await sleep(300); // the previous request's event is flushed first
    const events = (await probeEvents()).length;
    const hits = probeHits();
    const page = await getPage(demo!.baseUrl, '/odd/hmr');
    expect(page.status, what).toBe(200);
    expect(probeHits() - hits, what).toBe(1);
    await sleep(300);
    const after = await probeEvents();
    expect(after.length - events, what).toBe(1);
    expect(after.at(-1), what).toMatchObject({ route: '/odd/hmr', method: 'POST', decision: 'skip' });
  }

  it('records each fetch once before and after an edit, and after the edit is undone', async () => {
    await oneRequestOneEvent('before any edit');
    await oneRequestOneEvent('before any edit, again');

    writeFileSync(PROBE, original.replace(MARK, "const HMR_MARK = 'hmr-1';"));
    await waitFor(async () => ((await mark()) === 'hmr-1' ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'the edit to be served',
    });
    await oneRequestOneEvent('after the edit');

    writeFileSync(PROBE, original);
    await waitFor(async () => ((await mark()) === 'hmr-0' ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'the undo to be served',
    });
    await oneRequestOneEvent('after the undo');

    // Over the whole test, polling included: as many fetch events as backend hits.
    await sleep(300);
    expect((await probeEvents()).length).toBe(probeHits());
  }, 240_000);

  it('comes back after a dev-server restart, with one stream and one event per fetch', async () => {
    const before = (await (await fetch(`${streamUrl}/health`)).json()) as { pid: number };
    const res = await fetch(`${demo!.baseUrl}/__nextjs_restart_dev`, { method: 'POST' });
    expect(res.status).toBeLessThan(300);
    const after = await waitFor(
      async () => {
        const health = (await (await fetch(`${streamUrl}/health`, { signal: AbortSignal.timeout(1_000) })).json()) as { pid: number };
        return health.pid !== before.pid ? health : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'a new server process to serve the stream' },
    );
    expect(after.pid).not.toBe(before.pid);
    const hitsAtRestart = probeHits();
    await waitFor(async () => ((await getPage(demo!.baseUrl, '/odd/hmr')).status === 200 ? true : undefined), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    await oneRequestOneEvent('after the restart');
    await oneRequestOneEvent('after the restart, again');
    // The new process: as many fetch events as backend hits since the restart, polling included.
    await sleep(300);
    expect((await probeEvents()).length).toBe(probeHits() - hitsAtRestart);
    const logs = demo!.logs();
    expect(logs).not.toMatch(/port \d+ is in use|are all taken/);
    expect(logs.match(/cachescope: event stream of app \S+ \(dev\) on/g)?.length).toBe(2); // once per server process
  }, 240_000);
});
