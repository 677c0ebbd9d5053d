// @vitest-environment node
// (Node's fetch: a browser hides a non-CORS answer behind the same TypeError as a closed port; Chromium is
// covered by the demo's browser tests.)
// The overlay finds its own app's stream among the stream ports, says what it found when none fits, and drops
// a stream that turns out to serve another app.
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOverlayStore } from '../src/store/store.js';
import type { AppIdentity } from '../src/store/types.js';
import { searchAppStream } from '../src/stream/app-stream-search.js';
import { findAppStream } from '../src/stream/find-stream.js';
import { startLiveFeed } from '../src/stream/live-feed.js';
import { freePortRange } from '@cachescope/harness';
import { TestStreamServer } from './support/sse-server.js';
import { waitFor } from './support/wait.js';

const app = (name: string): AppIdentity => ({ id: `id-${name}`, name, dir: `/apps/${name}`, mode: 'dev' });
const hint = (name: string, port: number) => ({ id: `id-${name}`, name, port });

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const freeSpan = () => freePortRange(10);

async function stream(name: string | null, port: number): Promise<TestStreamServer> {
  const server = new TestStreamServer();
  server.app = name ? app(name) : undefined;
  await server.start(port);
  closers.push(() => server.close());
  return server;
}

async function otherProgram(port: number): Promise<void> {
  const server = createServer((_req, res) => res.writeHead(404).end('not here'));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
}

describe("finding the app's stream", () => {
  it("passes over another app's stream and another program to reach its own", async () => {
    const first = await freeSpan();
    await stream('admin', first);
    await otherProgram(first + 1);
    await stream('web', first + 2);
    const result = await findAppStream(hint('web', first), { firstPort: first });
    expect(result.found).toMatchObject({ url: `http://127.0.0.1:${first + 2}`, hello: { app: app('web') } });
  });

  it('says which streams it found and why none fits', async () => {
    const first = await freeSpan();
    await stream('admin', first);
    await otherProgram(first + 3);
    const result = await findAppStream(hint('web', first), { firstPort: first });
    expect(result.found).toBeNull();
    expect(!result.found && result.report).toBe(
      `no stream of app web on ports ${first}–${first + 9}; ${first} serves app admin (dev, /apps/admin); ${first + 3} is another program (HTTP 404). ` +
        "Is the app running with cachescope's register() in instrumentation.ts?",
    );
  });

  it('without an inlined app it takes the only stream running, and refuses to guess between several', async () => {
    const first = await freeSpan();
    await stream('admin', first + 1);
    expect((await findAppStream(null, { firstPort: first })).found?.url).toBe(`http://127.0.0.1:${first + 1}`);
    await stream('web', first + 2);
    const two = await findAppStream(null, { firstPort: first });
    expect(two.found).toBeNull();
    expect(!two.found && two.report).toMatch(/does not know its app .*withCacheScope.*2 streams run/);
  });

  it('asks a remembered port first', async () => {
    const first = await freeSpan();
    await stream('web', first + 5);
    const asked: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fetch(input, init);
    };
    await findAppStream(hint('web', first), { firstPort: first, preferPort: first + 5, fetch: fetchSpy });
    expect(asked).toEqual([`http://127.0.0.1:${first + 5}/health`]);
  });

  it("keeps searching, showing what it found, until the app's stream appears", async () => {
    const first = await freeSpan();
    await stream('admin', first);
    const store = createOverlayStore();
    const found: string[] = [];
    const search = searchAppStream(store, { hint: hint('web', first), port: first }, (f) => found.push(f.url), {
      retryMs: 20,
      maxRetryMs: 50,
    });
    closers.push(async () => search.stop());
    await waitFor(() => (store.getState().connection.search ?? '').includes(`${first} serves app admin`));
    expect(store.getState().connection).toMatchObject({ status: 'searching', app: { id: 'id-web', name: 'web' } });
    await stream('web', first + 1);
    await waitFor(() => found.length === 1);
    expect(found).toEqual([`http://127.0.0.1:${first + 1}`]);
  });

  it('a live feed drops a stream whose hello names another app', async () => {
    const first = await freeSpan();
    const admin = await stream('admin', first);
    const store = createOverlayStore();
    const wrong: string[] = [];
    const feed = startLiveFeed(store, {
      url: admin.url,
      app: 'id-web',
      share: false,
      retryMs: 20,
      onWrongApp: (hello) => wrong.push(hello.app!.name),
    });
    closers.push(async () => feed.stop());
    await waitFor(() => wrong.length === 1);
    expect(wrong).toEqual(['admin']);
    expect(store.getState().connection).toMatchObject({
      status: 'error',
      lastError: `${admin.url} serves app admin (/apps/admin), not this app`,
    });
    expect(store.getState().events).toEqual([]);
  });

  it('a silent listener on a port does not stall the search past its probe timeout', async () => {
    const first = await freeSpan();
    const sockets: import('node:net').Socket[] = [];
    const tcp = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => tcp.listen(first, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise((r) => {
          for (const s of sockets) s.destroy();
          tcp.close(r);
        }),
    );
    await stream('web', first + 1);
    const result = await findAppStream(hint('web', first), { firstPort: first });
    expect(result.found?.url).toBe(`http://127.0.0.1:${first + 1}`);
  });
});
