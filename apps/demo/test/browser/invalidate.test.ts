// Invalidate from the overlay, in real Chromium: "Expire now" on a user's tag makes that user's next request
// refetch (backend counter +1); a page of another origin cannot do it without the app's token; and in
// `next start` there are neither buttons nor route.
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCacheScope } from '@cachescope/instrument/testing';
import { DEMO_DIR, freePortRange, startDemo, type DemoServer } from '@cachescope/harness';
import { launchChromium, waitForHydration } from './browser';

async function signIn(page: Page, user: string) {
  await waitForHydration(page, `form[data-action="sign-in-${user}"]`);
  await page.locator(`form[data-action="sign-in-${user}"] button:visible`).click();
  await page.getByText(`signed in as ${user}`).first().waitFor({ timeout: 30_000 });
}

async function showDashboard(page: Page, user: string) {
  await page.locator(`[data-testid="dashboard"][data-user="${user}"]:visible`).waitFor({ timeout: 30_000 });
}

/** The demo's per-user tag (lib/session.ts sessionHash) for the browser's signed-in session. */
async function userTag(page: Page, prefix: string): Promise<string> {
  const session = (await page.context().cookies()).find((c) => c.name === 'session')?.value ?? '';
  expect(session).not.toBe('');
  return `${prefix}:${createHash('sha256').update(session).digest('hex').slice(0, 16)}`;
}

async function openTag(page: Page, tag: string) {
  if ((await page.getByRole('button', { name: 'Close cachescope' }).count()) === 0)
    await page.getByRole('button', { name: 'Open cachescope' }).click();
  await page.getByRole('tab', { name: /^Tags/ }).click();
  await page.getByRole('button', { name: `Show tag ${tag}` }).click();
  await page.getByTestId('cachescope-tag-detail').waitFor({ timeout: 5_000 });
}

async function startDemoAt(mode: 'dev' | 'prod'): Promise<{ demo: DemoServer; streamUrl: string }> {
  // dev: CACHESCOPE_PORT moves the stream and the overlay alike; start: the overlay looks from 7340 on.
  const env: Record<string, string> = mode === 'dev' ? { CACHESCOPE_PORT: String(await freePortRange(10)) } : {};
  const demo = await startDemo({ mode, distDir: mode === 'dev' ? '.next' : '.next-cachescope', env: { CACHESCOPE_ENABLED: '1', ...env } });
  const { url } = await connectCacheScope({ cwd: DEMO_DIR, env: { ...process.env, ...env } }); // the app's stream, found by its folder
  return { demo, streamUrl: url };
}

describe('invalidate from the overlay, next dev', () => {
  let demo: DemoServer;
  let streamUrl: string;
  let browser: Browser;
  let page: Page;
  let otherSite: Server;
  const hits = () => demo.backend.stats().hits.p1?.alice ?? 0;

  beforeAll(async () => {
    ({ demo, streamUrl } = await startDemoAt('dev'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${demo.baseUrl}/pattern-1`);
    await signIn(page, 'alice');
    await showDashboard(page, 'alice');
    // A page of another (loopback) origin: it may read the stream, but not change it.
    otherSite = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>'));
    await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    otherSite?.close();
    await browser?.close();
    await demo?.stop();
  });

  it('"Expire now" on alice\'s tag: her next request refetches (backend +1), shown in Revalidations', async () => {
    const tag = await userTag(page, 'p1:dashboard-data');
    // Control: with the entry warm, a reload costs the backend nothing.
    await page.reload();
    await showDashboard(page, 'alice');
    const warm = hits();
    await page.reload();
    await showDashboard(page, 'alice');
    expect(hits()).toBe(warm);

    await openTag(page, tag);
    await page.getByRole('button', { name: 'Expire now' }).click();
    await page.getByRole('status').filter({ hasText: 'Expired (see Revalidations)' }).waitFor({ timeout: 5_000 });

    await page.reload();
    await showDashboard(page, 'alice');
    await expect.poll(hits, { timeout: 5_000 }).toBe(warm + 1);

    await page.getByRole('tab', { name: /^Revalidations/ }).click();
    const card = page
      .getByTestId('cachescope-revalidation')
      .filter({ hasText: `("${tag}"` })
      .first();
    await expect.poll(() => card.textContent(), { timeout: 5_000 }).toContain('Matched entries (1)');
  });

  it('a page of another origin without the token is refused, and changes nothing', async () => {
    const tag = await userTag(page, 'p1:dashboard-data');
    const other = await browser.newPage();
    await other.goto(`http://127.0.0.1:${(otherSite.address() as AddressInfo).port}/`);
    const statuses = await other.evaluate(
      async ({ url, tag }) => {
        const invalidate = await fetch(`${url}/invalidate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tag, mode: 'expire' }),
        });
        const guessed = await fetch(`${url}/invalidate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-cachescope-token': 'guess' },
          body: JSON.stringify({ tag, mode: 'expire' }),
        });
        const clear = await fetch(`${url}/clear`, { method: 'POST' });
        return [invalidate.status, guessed.status, clear.status];
      },
      { url: streamUrl, tag },
    );
    await other.close();
    expect(statuses).toEqual([403, 403, 403]);

    const before = hits();
    await page.reload();
    await showDashboard(page, 'alice');
    expect(hits()).toBe(before); // her entry was not expired
    const snapshot = (await (await fetch(`${streamUrl}/snapshot`)).json()) as { events: unknown[] };
    expect(snapshot.events.length).toBeGreaterThan(0); // and the record was not cleared
  });
});

describe('invalidate in next start', () => {
  let demo: DemoServer;
  let streamUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ demo, streamUrl } = await startDemoAt('prod'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('has no route and no buttons', async () => {
    const res = await fetch(`${streamUrl}/invalidate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"tag":"p1:dashboard-data","mode":"expire"}',
    });
    expect(res.status).toBe(404);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${demo.baseUrl}/pattern-1`);
    await signIn(page, 'alice');
    await showDashboard(page, 'alice');
    await openTag(page, await userTag(page, 'p1:dashboard-data'));
    expect(await page.getByTestId('cachescope-invalidate').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Expire now' }).count()).toBe(0);
  });
});
