// Several apps on one machine: each app's processes share one stream; another app's stream is passed over,
// never forwarded to, and its events are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { freePortRange, memorySource, raw, testApp, waitFor, type TestEvent } from './doubles.js';

const servers: StreamServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(app: ReturnType<typeof testApp>, port: number, source = memorySource()) {
  const logs: string[] = [];
  const server = await startStreamServer({ source, app, port, log: (_level, message) => logs.push(message) });
  servers.push(server);
  return { server, source, logs };
}

const routes = async (port: number) => (JSON.parse((await raw(port, '/snapshot')).body).events as TestEvent[]).map((e) => e.route).sort();

describe('one stream per app', () => {
  it("a second app serves its own stream on the next port, and neither stream holds the other app's events", async () => {
    const first = await freePortRange(10);
    const web = await start(testApp('web'), first);
    const admin = await start(testApp('admin'), first);
    expect(web.server).toMatchObject({ mode: 'leader', port: first });
    expect(admin.server).toMatchObject({ mode: 'leader', port: first + 1 });
    expect(admin.logs).toEqual([
      expect.stringMatching(
        new RegExp(
          `event stream of app admin \\(dev\\) on http://127.0.0.1:${first + 1}.*passed over ${first}: app web \\(/apps/web, dev\\)`,
        ),
      ),
    ]);

    web.source.push({ route: '/web-page' });
    admin.source.push({ route: '/admin-page' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await routes(first)).toEqual(['/web-page']);
    expect(await routes(first + 1)).toEqual(['/admin-page']);
    expect(web.server.stats()).toMatchObject({ ingestedEvents: 0, forwardedEvents: 0 });
    expect(admin.server.stats()).toMatchObject({ ingestedEvents: 0, forwardedEvents: 0 });
  });

  it('/health, the hello message and /snapshot name the app', async () => {
    const first = await freePortRange(10);
    const app = testApp('web');
    await start(app, first);
    expect(JSON.parse((await raw(first, '/health')).body)).toMatchObject({ cachescope: true, app });
    expect(JSON.parse((await raw(first, '/snapshot')).body).app).toEqual(app);
  });

  it("a new process of an app finds that app's stream wherever it landed, even when an earlier port is free again", async () => {
    const first = await freePortRange(10);
    const admin = await start(testApp('admin'), first);
    const web = await start(testApp('web'), first);
    expect(web.server.port).toBe(first + 1);
    await admin.server.close(); // `first` is free now
    const webWorker = await start(testApp('web'), first);
    expect(webWorker.server).toMatchObject({ mode: 'forwarder', port: first + 1 });
    expect(webWorker.logs[0]).toMatch(
      /process \d+ \(stream started \d+ s ago\) already serves the event stream of app web \(dev\) .*forwarding/,
    );
    webWorker.source.push({ route: '/from-worker' });
    await waitFor(() => web.source.ingested.length === 1);
    expect(await routes(first + 1)).toEqual(['/from-worker']);
  });

  it('dev and start of one project are two apps (their caches are apart)', async () => {
    const first = await freePortRange(10);
    const dev = await start(testApp('web', 'dev'), first);
    const prod = await start(testApp('web', 'prod'), first);
    expect(dev.server.mode).toBe('leader');
    expect(prod.server).toMatchObject({ mode: 'leader', port: first + 1 });
  });

  it("/ingest refuses another app's events (409) and a stream of no app refuses an app's", async () => {
    const first = await freePortRange(10);
    const web = await start(testApp('web'), first);
    const post = (body: object) =>
      raw(first, '/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const other = await post({ pid: 1, app: testApp('admin').id, events: [{ id: 1, type: 'fetch', ts: 1 }] });
    expect(other.status).toBe(409);
    expect(other.body).toMatch(/serves app web/);
    const none = await post({ pid: 1, events: [{ id: 1, type: 'fetch', ts: 1 }] });
    expect(none.status).toBe(409);
    const mine = await post({ pid: 1, app: testApp('web').id, events: [{ id: 1, type: 'fetch', ts: 1 }] });
    expect(mine.status).toBe(200);
    expect(web.source.ingested).toEqual([{ pid: 1, count: 1 }]);
  });

  it("a forwarder whose leader is replaced by another app's stream elects again instead of feeding it", async () => {
    const first = await freePortRange(10);
    const leader = await start(testApp('web'), first);
    const worker = await start(testApp('web'), first);
    expect(worker.server.mode).toBe('forwarder');
    await leader.server.close();
    const admin = await start(testApp('admin'), first); // another app grabs the port at once
    expect(admin.server.port).toBe(first);
    worker.source.push({ route: '/web-after' });
    await waitFor(() => worker.server.mode === 'leader', 5000);
    expect(worker.server.port).toBe(first + 1);
    await waitFor(() => worker.source.since(0).length === 1);
    expect(await routes(first)).toEqual([]);
    expect(await routes(first + 1)).toEqual(['/web-after']);
  });
});
