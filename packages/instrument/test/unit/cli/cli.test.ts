import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args.js';
import { runCli } from '../../../src/cli/main.js';
import { runReport } from '../../../src/cli/report.js';
import { runSnapshot } from '../../../src/cli/snapshot.js';
import { runTail } from '../../../src/cli/tail.js';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { freePortRange, memorySource, testApp, waitFor, type MemorySource } from '../stream/doubles.js';
import { commitNoop, fetchMiss, fetchSkipDropped, findings, revalidateCall } from './fixtures.js';

const servers: StreamServer[] = [];
const aborts: AbortController[] = [];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cachescope-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A source whose snapshot carries the given findings (and `findings()` for the live feed). */
function sourceWith(found: unknown[] = []): MemorySource {
  const source = memorySource();
  const base = source.snapshot.bind(source);
  source.snapshot = () => ({ ...base(), findings: found });
  source.findings = () => found as Array<{ id: string }>;
  return source;
}

async function serve(source: MemorySource, port = 0) {
  const server = await startStreamServer({ source, port });
  servers.push(server);
  expect(server.mode).toBe('leader');
  return server;
}

/** A port nothing listens on: bind one, then free it. */
async function deadPort(): Promise<number> {
  const s = await serve(memorySource());
  const port = s.port!;
  await s.close();
  servers.splice(servers.indexOf(s), 1);
  return port;
}

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { write: (l: string) => void out.push(l), error: (l: string) => void err.push(l) } };
}

function tail(url: string, extra: Partial<Parameters<typeof runTail>[0]> = {}) {
  const c = collect();
  const abort = new AbortController();
  aborts.push(abort);
  const done = runTail({ url, signal: abort.signal, retryMs: 50, maxRetryMs: 100, ...c.io, ...extra });
  return { ...c, abort, done };
}

describe('cachescope tail', () => {
  it('prints readable live lines per event type, NO-OP revalidations and findings', async () => {
    const source = sourceWith();
    const server = await serve(source);
    const t = tail(server.url!);
    await waitFor(() => t.err.some((l) => l.includes('following')));
    source.push(fetchMiss, fetchSkipDropped, revalidateCall, commitNoop);
    await waitFor(() => t.out.length >= 4);
    expect(t.out[0]).toMatch(
      /\/pattern-1 +fetch +MISS +POST http:\/\/127\.0\.0\.1:4100\/dashboard\?pattern=p1 {2}200 12ms {2}tags: p1:dashboard-data/,
    );
    expect(t.out[1]).toContain('dropped tags: dashboard-data');
    expect(t.out[3]).toContain('revalidateTag("dashboard-data", "max")  NO-OP (0 entries)');

    // findings the source reports afterwards arrive as their own lines
    (source as { findings?: () => unknown[] }).findings = () => findings.slice(0, 2);
    source.push({ type: 'cache-get', handler: 'incremental', kind: 'FETCH', key: 'abc', tags: [], result: 'miss' });
    await waitFor(() => t.out.filter((l) => l.includes('FINDING')).length === 2);
    expect(t.out.find((l) => l.includes('FINDING noop-revalidation'))).toContain('→ fix:');

    t.abort.abort();
    expect(await t.done).toBe(0);
  });

  it('--json prints one JSON object per line', async () => {
    const source = sourceWith();
    const server = await serve(source);
    const t = tail(server.url!, { json: true });
    await waitFor(() => t.err.length > 0);
    source.push(fetchMiss);
    await waitFor(() => t.out.length === 1);
    expect(JSON.parse(t.out[0]!)).toMatchObject({ id: 1, type: 'fetch', decision: 'miss' });
  });

  it('--replay starts with what the server holds, and a gap prints a line', async () => {
    const source = memorySource(3);
    const server = await serve(source);
    for (let i = 0; i < 5; i++) source.push({ ...fetchMiss, url: `http://x/${i}` });
    const t = tail(server.url!, { replay: true });
    await waitFor(() => t.out.length === 4);
    expect(t.out[0]).toContain('missed 2 event(s)');
    expect(t.out.slice(1).map((l) => l.match(/http:\/\/x\/\d/)![0])).toEqual(['http://x/2', 'http://x/3', 'http://x/4']);
  });

  it('reconnects after the server goes away and resumes with Last-Event-ID', async () => {
    const source = sourceWith();
    const first = await serve(source);
    const port = first.port!;
    const t = tail(first.url!);
    await waitFor(() => t.err.some((l) => l.includes('following')));
    source.push({ ...fetchMiss, url: 'http://x/before' });
    await waitFor(() => t.out.length === 1);

    await first.close();
    await waitFor(() => t.err.some((l) => l.includes('reconnecting')));
    source.push({ ...fetchMiss, url: 'http://x/during' }); // recorded while nobody serves
    await serve(source, port);
    await waitFor(() => t.out.length >= 2, 4000);
    await waitFor(() => t.err.includes('cachescope: reconnected'));
    await new Promise((r) => setTimeout(r, 100));
    // the event recorded during the outage arrives, the one seen before is not repeated
    expect(t.out.map((l) => l.match(/http:\/\/x\/\w+/)![0])).toEqual(['http://x/before', 'http://x/during']);
  });

  it('prints the current findings on connect, and not again after a reconnect', async () => {
    const source = sourceWith(findings);
    const first = await serve(source);
    const port = first.port!;
    const t = tail(first.url!);
    await waitFor(() => t.out.filter((l) => l.includes('FINDING')).length === 3);
    await first.close();
    await waitFor(() => t.err.some((l) => l.includes('reconnecting')));
    await serve(source, port);
    await waitFor(() => t.err.includes('cachescope: reconnected'), 4000);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.out.filter((l) => l.includes('FINDING'))).toHaveLength(3);
  });

  it('says when the server is not there yet, and keeps trying', async () => {
    const port = await deadPort();
    const t = tail(`http://127.0.0.1:${port}`);
    await waitFor(() => t.err.length > 0);
    expect(t.err[0]).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is the Next app running with cachescope enabled\?/);
    const source = sourceWith();
    await serve(source, port);
    await waitFor(() => t.err.some((l) => l.includes('following')), 5000);
    source.push(fetchMiss);
    await waitFor(() => t.out.length === 1);
  });
});

describe('cachescope snapshot', () => {
  it('prints the snapshot JSON', async () => {
    const source = sourceWith(findings);
    source.push(fetchMiss);
    const server = await serve(source);
    const c = collect();
    expect(await runSnapshot({ url: server.url!, ...c.io })).toBe(0);
    const snapshot = JSON.parse(c.out.join('\n'));
    expect(snapshot).toMatchObject({ schemaVersion: 1, dropped: 0 });
    expect(snapshot.events).toHaveLength(1);
    expect(snapshot.findings).toHaveLength(3);
  });

  it('--out saves it to a file', async () => {
    const source = sourceWith();
    source.push(fetchMiss, fetchSkipDropped);
    const server = await serve(source);
    const c = collect();
    const out = join(dir, 'snap.json');
    expect(await runSnapshot({ url: server.url!, out, ...c.io })).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8')).events).toHaveLength(2);
    expect(c.err[0]).toMatch(/saved 2 events, 0 tags, 0 findings to .*snap\.json/);
  });

  it('exits 2 with a clear message when the server is unreachable', async () => {
    const port = await deadPort();
    const c = collect();
    expect(await runSnapshot({ url: `http://127.0.0.1:${port}`, ...c.io })).toBe(2);
    expect(c.err[0]).toContain('is the Next app running with cachescope enabled?');
  });
});

describe('cachescope report', () => {
  it('groups findings by kind with counts, one line per finding with message and fix, exit 1', async () => {
    const server = await serve(sourceWith(findings));
    const c = collect();
    expect(await runReport({ url: server.url!, ...c.io })).toBe(1);
    const text = c.out.join('\n');
    expect(text).toMatch(/3 findings:\n {2}noop-revalidation +2\n {2}orphaned-tag +1/);
    expect(text).toContain(
      "noop-revalidation (2)\n  ✗ revalidateTag('dashboard-data','max') matched no live cache entry  Fix: Cache the data under the tag first",
    );
    expect(text).toContain(
      "orphaned-tag (1)\n  ✗ tag 'dashboard-data' is declared on a fetch that never entered a cache (the route read cookies()) (seen 3×)  Fix: Pass the session",
    );
  });

  it('exits 0 when there are no findings', async () => {
    const server = await serve(sourceWith([]));
    const c = collect();
    expect(await runReport({ url: server.url!, ...c.io })).toBe(0);
    expect(c.out.at(-1)).toBe('No findings.');
  });

  it('--fail-on narrows what fails', async () => {
    const server = await serve(sourceWith(findings));
    const c = collect();
    expect(await runReport({ url: server.url!, failOn: ['broad-revalidation'], ...c.io })).toBe(0);
    expect(await runReport({ url: server.url!, failOn: ['noop-revalidation'], ...c.io })).toBe(1);
  });

  it('exits 2 when the server is unreachable', async () => {
    const port = await deadPort();
    const c = collect();
    expect(await runReport({ url: `http://127.0.0.1:${port}`, ...c.io })).toBe(2);
    expect(c.err).toEqual([
      `cachescope: cannot reach http://127.0.0.1:${port} (ECONNREFUSED): is the Next app running with cachescope enabled?`,
    ]);
    expect(c.out).toEqual([]);
  });

  it('--file reads a saved snapshot', async () => {
    const file = join(dir, 'with-findings.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, events: [], tags: [], revalidations: [], findings, dropped: 0 }));
    const c = collect();
    expect(await runReport({ file, ...c.io })).toBe(1);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"hello":1}');
    expect(await runReport({ file: bad, ...c.io })).toBe(2);
    expect(c.err.at(-1)).toContain('is not a cachescope snapshot');
  });
});

describe('argv', () => {
  it("takes the URL from --url or --port; otherwise it looks for the app's stream from CACHESCOPE_PORT, default 7340", () => {
    expect(parseArgs(['tail'], {})).toMatchObject({ url: undefined, firstPort: 7340 });
    expect(parseArgs(['tail'], { CACHESCOPE_PORT: '7400' })).toMatchObject({ url: undefined, firstPort: 7400 });
    expect(parseArgs(['tail'], { CACHESCOPE_PORT: 'x' }).errors).toEqual(['CACHESCOPE_PORT is not a port: x']);
    expect(parseArgs(['tail', '--port', '7500'], { CACHESCOPE_PORT: '7400' }).url).toBe('http://127.0.0.1:7500');
    expect(parseArgs(['tail', '--port=7501']).url).toBe('http://127.0.0.1:7501');
    expect(parseArgs(['tail', '--url', 'http://localhost:9000/', '--port', '1']).url).toBe('http://localhost:9000');
    expect(parseArgs(['report', '--fail-on', 'noop-revalidation,orphaned-tag']).failOn).toEqual(['noop-revalidation', 'orphaned-tag']);
    expect(parseArgs(['tail', '--port', 'abc'], {}).errors).toEqual(['--port is not a port: abc']);
    expect(parseArgs(['nope'], {}).errors).toEqual(['unknown command: nope']);
    expect(parseArgs(['tail', '--bogus'], {}).errors).toEqual(['unknown option --bogus']);
  });

  it('runCli runs report against a real server by --port and returns its exit code', async () => {
    const server = await serve(sourceWith(findings));
    const c = collect();
    expect(await runCli(['report', '--port', String(server.port)], { ...c.io, env: {} })).toBe(1);
    expect(c.out.join('\n')).toContain('3 findings');
    const empty = await serve(sourceWith([]));
    expect(await runCli(['report'], { ...c.io, env: { CACHESCOPE_PORT: String(empty.port) } })).toBe(0);
    expect(c.err.at(-1)).toMatch(/no app in .* runs a stream; using the only one running/);
  });

  it('without --url it talks to the stream of the app in the current directory, and `apps` lists them all', async () => {
    const first = await freePortRange(10);
    const web = await startStreamServer({ source: sourceWith(findings), app: testApp('web'), port: first });
    const admin = await startStreamServer({ source: sourceWith([]), app: testApp('admin'), port: first });
    servers.push(web, admin);
    const env = { CACHESCOPE_PORT: String(first) };
    const c = collect();
    // /apps/web/app is inside web's directory: web's findings (exit 1); inside admin's: none (exit 0)
    expect(await runCli(['report'], { ...c.io, env, cwd: '/apps/web/app' })).toBe(1);
    expect(c.out.join('\n')).toContain('app web (dev)');
    expect(await runCli(['report'], { ...c.io, env, cwd: '/apps/admin' })).toBe(0);
    expect(c.out.join('\n')).toContain('app admin (dev)');
    const elsewhere = collect();
    expect(await runCli(['report'], { ...elsewhere.io, env, cwd: '/somewhere/else' })).toBe(2);
    expect(elsewhere.err.join('\n')).toMatch(
      new RegExp(
        `none of the running streams is of an app in /somewhere/else:\n  web \\(dev\\)  /apps/web  http://127.0.0.1:${first}  pid \\d+\n  admin \\(dev\\)  /apps/admin  http://127.0.0.1:${first + 1}`,
      ),
    );
    const apps = collect();
    expect(await runCli(['apps', '--json'], { ...apps.io, env })).toBe(0);
    expect(JSON.parse(apps.out[0]!)).toEqual([
      expect.objectContaining({ url: `http://127.0.0.1:${first}`, app: testApp('web') }),
      expect.objectContaining({ url: `http://127.0.0.1:${first + 1}`, app: testApp('admin') }),
    ]);
    const none = collect();
    expect(await runCli(['snapshot'], { ...none.io, env: { CACHESCOPE_PORT: String(await freePortRange(10)) } })).toBe(2);
    expect(none.err[0]).toMatch(/no cachescope stream answers on ports/);
  });

  it('runCli prints usage for help and exits 2 on bad arguments', async () => {
    const c = collect();
    expect(await runCli(['--help'], { ...c.io, env: {} })).toBe(0);
    expect(c.out[0]).toContain('Usage:');
    expect(await runCli(['tail', '--port'], { ...c.io, env: {} })).toBe(2);
    expect(c.err[0]).toBe('cachescope: --port needs a value');
    expect(await runCli(['--version'], { ...c.io, env: {} })).toBe(0);
    expect(c.out.at(-1)).toBe('0.1.0');
  });
});
