// Privacy: secrets planted in a full scenario (a session cookie value, `Authorization: Bearer …`,
// `?token=` on a fetch URL and on a page URL, a key part of unstable_cache) must not appear in clear in
// anything cachescope puts out: /snapshot, the raw SSE frames of /events, `cachescope tail --json`,
// `cachescope snapshot` (stdout and --out file), `cachescope report`, the server's stdout/stderr and the
// OTLP spans, and the raw entries of the cluster-mode Redis Stream. Each output is also checked to contain the evidence that the secret-bearing calls were
// recorded (so a silent output does not pass for a clean one).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchEvent, UnstableCacheEvent } from '../../src/protocol/events.js';
import { redacted } from '../../src/analysis/redact.js';
import { ensureBuild, freePort, getPage, postActionById, resolveActionId, sleep, startDemo, type DemoServer } from '@cachescope/harness';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { startRedis, type TestRedis } from '@cachescope/harness';
import { ACTIONS, PAGES, clearDataCache, type Pattern } from './support.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const SECRETS = {
  'session cookie value': secret('sess'),
  'bearer token': secret('bear'),
  '?token= value': secret('qtok'),
  'unstable_cache key part': secret('kpart'),
};

/** Every clear-text form a secret could take in an output. */
const forms = (value: string) => [value, encodeURIComponent(value), Buffer.from(value).toString('base64')];

describe('planted secrets never leave the process in clear', () => {
  let demo: DemoServer | undefined;
  let receiver: OtlpReceiver | undefined;
  let redis: TestRedis | undefined;
  let streamUrl = '';
  let tail: ChildProcess | undefined;
  let tailOut = '';
  let sse = '';
  let sseReq: ReturnType<typeof request> | undefined;
  const outputs: Record<string, string> = {};
  const tmp = mkdtempSync(join(tmpdir(), 'cachescope-privacy-'));

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    redis = await startRedis();
    const port = await freePort();
    streamUrl = `http://127.0.0.1:${port}`;
    await ensureBuild({ cacheComponents: true, distDir: '.next-safety', env: { CACHESCOPE_ENABLED: '1' } });
    clearDataCache('.next-safety');
    demo = await startDemo({
      mode: 'prod',
      distDir: '.next-safety',
      env: {
        CACHESCOPE_ENABLED: '1',
        CACHESCOPE_PORT: String(port),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        CACHESCOPE_REDIS_URL: redis.url,
        CACHESCOPE_REDIS_PREFIX: 'privacy',
      },
    });
    // Listen from the start: raw SSE bytes and the CLI's live JSON lines.
    sseReq = request(`${streamUrl}/events?lastEventId=0`, (res) => res.on('data', (d: Buffer) => (sse += d.toString())));
    sseReq.on('error', () => {});
    sseReq.end();
    tail = spawn(process.execPath, [CLI, 'tail', '--json', '--replay', '--url', streamUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    tail.stdout!.on('data', (d: Buffer) => (tailOut += d.toString()));
    tail.stderr!.on('data', (d: Buffer) => (tailOut += d.toString()));
  });
  afterAll(async () => {
    sseReq?.destroy();
    tail?.kill('SIGKILL');
    await demo?.stop();
    await receiver?.close();
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs the whole scenario with the secrets planted', async () => {
    const d = demo!;
    const cookie = `session=alice.${SECRETS['session cookie value']}`;
    const token = SECRETS['?token= value'];
    for (const [pattern, path] of Object.entries(PAGES) as [Pattern, string][]) {
      expect((await getPage(d.baseUrl, path, cookie)).status).toBe(200);
      for (const action of ACTIONS[pattern]) {
        const id = await resolveActionId(d.baseUrl, path, action, cookie);
        expect((await postActionById(d.baseUrl, path, id, cookie)).status).toBe(200);
      }
      expect((await getPage(d.baseUrl, `${path}?token=${token}`, cookie)).status).toBe(200);
    }
    expect((await fetch(`${d.baseUrl}/api/announcements`, { method: 'POST', headers: { cookie } })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${d.baseUrl}/odd/secrets?run=privacy-${process.pid}&token=${token}`, {
        headers: { cookie, 'x-odd-bearer': SECRETS['bearer token'], 'x-odd-key': SECRETS['unstable_cache key part'] },
      });
      const body = (await res.json()) as { results: { ok: boolean }[] };
      expect(body.results.map((r) => r.ok)).toEqual([true, true, true, true]);
    }
    await receiver!.waitFor((spans) => spans.some((s) => JSON.stringify(s).includes('odd-secret')), {
      timeoutMs: 15_000,
      what: 'spans of the secret calls',
    });
    await sleep(1_000); // last flushes: events (20 ms), SSE batches (50 ms), OTLP (100 ms)

    outputs['/snapshot'] = await (await fetch(`${streamUrl}/snapshot`)).text();
    outputs['SSE frames'] = sse;
    outputs['cachescope tail --json'] = tailOut;
    const snapshotCli = spawnSync(process.execPath, [CLI, 'snapshot', '--url', streamUrl], {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 512 * 1024 * 1024,
    });
    expect(snapshotCli.status, snapshotCli.stderr).toBe(0);
    outputs['cachescope snapshot'] = snapshotCli.stdout + snapshotCli.stderr;
    const file = join(tmp, 'exported.json');
    expect(
      spawnSync(process.execPath, [CLI, 'snapshot', '--url', streamUrl, '--out', file], {
        encoding: 'utf8',
        timeout: 30_000,
        maxBuffer: 512 * 1024 * 1024,
      }).status,
    ).toBe(0);
    outputs['exported JSON (snapshot --out)'] = readFileSync(file, 'utf8');
    const report = spawnSync(process.execPath, [CLI, 'report', '--url', streamUrl], {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 512 * 1024 * 1024,
    });
    outputs['cachescope report'] = report.stdout + report.stderr;
    outputs['server stdout/stderr'] = d.logs();
    outputs['OTLP spans'] = JSON.stringify(receiver!.spans);
    // What went through Redis: every entry of every stream, raw.
    const keys = (await redis!.command(['KEYS', 'privacy:*'])) as string[];
    expect(keys.length).toBeGreaterThan(0);
    outputs['Redis stream'] = JSON.stringify(await Promise.all(keys.map((k) => redis!.command(['XRANGE', k, '-', '+']))));
  }, 300_000);

  it('no output holds a secret in clear', () => {
    expect(Object.keys(outputs)).toHaveLength(9);
    const leaks: string[] = [];
    for (const [output, text] of Object.entries(outputs)) {
      for (const [name, value] of Object.entries(SECRETS)) {
        const form = forms(value).find((f) => text.includes(f));
        if (form === undefined) continue;
        const at = text.indexOf(form);
        leaks.push(`${output}: ${name} in …${text.slice(Math.max(0, at - 200), at).replace(/\s+/g, ' ')}<SECRET>…`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('and each output really saw the secret-bearing calls', async () => {
    const snap = JSON.parse(outputs['/snapshot']!) as { events: (FetchEvent | UnstableCacheEvent)[] };
    const fetches = snap.events.filter((e): e is FetchEvent => e.type === 'fetch');
    const bearer = fetches.filter((e) => e.url.includes('pattern=odd-secret&'));
    expect(bearer.length).toBeGreaterThan(0);
    expect(bearer[0]!.forwarded).toContain('authorization');
    expect(bearer[0]!.url).toContain(`token=${redacted(SECRETS['?token= value'])}`); // hashed, recognisably
    expect(
      fetches.some((e) => e.url.includes('pattern=odd-secret-req') && e.url.includes(`api_key=${redacted(SECRETS['?token= value'])}`)),
    ).toBe(true);
    expect(fetches.some((e) => e.route === '/broken' && e.forwarded?.includes('cookie'))).toBe(true);
    expect(snap.events.some((e) => e.type === 'unstable-cache' && e.fnName === 'odd-secret-fn')).toBe(true);
    for (const output of [
      'SSE frames',
      'cachescope tail --json',
      'cachescope snapshot',
      'exported JSON (snapshot --out)',
      'OTLP spans',
      'Redis stream',
    ]) {
      expect(outputs[output], output).toContain('odd-secret');
    }
    expect(outputs['cachescope report']).toMatch(/noop-revalidation|no-op/i);
    expect(outputs['server stdout/stderr']).toContain('cachescope: recording');
  });
});
