// Browser smoke test: sign in through the header switcher, visit every pattern page, press a
// refresh button and watch the page's fetch-no and the live backend counter panel react.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, startDemo, type DemoServer } from '@cachescope/harness';
import { collectErrors, HYDRATION, launchChromium, readNumber, waitForHydration, waitForNumber } from './browser';

const DASH = '[data-testid="dashboard"]';
const fetchNo = (page: Page, testid = 'dashboard') => readNumber(page, `[data-testid="${testid}"]`, 'data-fetch-no');
const counterSel = (pattern: string) => `[data-testid="count-${pattern}-alice"]`;
const waitForCounter = (page: Page, pattern: string, atLeast: number) => waitForNumber(page, counterSel(pattern), null, '>=', atLeast);
const waitForFetchNoAbove = (page: Page, n: number) => waitForNumber(page, DASH, 'data-fetch-no', '>', n);

/** Client-side navigation through the header, then wait for alice's hydrated dashboard. */
async function open(page: Page, linkText: string, heading: RegExp) {
  await page.getByRole('navigation', { name: 'Patterns' }).getByRole('link', { name: linkText }).click();
  await expect.poll(() => page.locator('h1:visible').first().textContent(), { timeout: 30_000 }).toMatch(heading);
  await page.locator(`${DASH}[data-user="alice"]:visible`).waitFor({ timeout: 30_000 });
  await waitForHydration(page, 'form[data-action="refresh-mine"]');
}

describe.each(['prod', 'dev'] as const)('browser smoke, next %s', (mode) => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS_DIR, `smoke-${mode}-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    demo = await startDemo({ mode });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS_DIR, `smoke-${mode}-console-errors.txt`), `${errors.join('\n')}\n`);
    await browser?.close();
    await demo?.stop();
  });

  it('signs in as alice through the header switcher', async () => {
    await page.goto(`${demo.baseUrl}/`);
    await waitForHydration(page, 'form[data-action="sign-in-alice"]');
    await page.locator('form[data-action="sign-in-alice"] button').click();
    await expect.poll(() => page.getByTestId('current-user').textContent(), { timeout: 30_000 }).toBe('signed in as alice');
    expect((await page.context().cookies()).find((c) => c.name === 'session')?.value).toMatch(/^alice\.[0-9a-f]+$/);
  });

  it('broken: "Update mine (updateTag)" re-renders with a new fetch-no; the counter panel follows', async () => {
    await open(page, 'Broken pattern', /broken/i);
    const before = await fetchNo(page);
    await page.getByRole('button', { name: 'Update mine (updateTag)' }).click();
    await waitForFetchNoAbove(page, before);
    await waitForCounter(page, 'broken', await fetchNo(page));
    await shot('broken');
  });

  for (const [pattern, link, heading] of [
    ['p1', 'Pattern 1: unstable_cache', /Pattern 1/],
    ['p2', "Pattern 2: 'use cache'", /Pattern 2/],
  ] as const) {
    it(`${pattern}: "Refresh mine" + reload shows the stale entry while the counter panel shows the background refetch; updateTag shows fresh data at once`, async () => {
      await open(page, link, heading);
      const cached = await fetchNo(page);
      await waitForCounter(page, pattern, cached);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && !!r.request().headers()['next-action']),
        page.getByRole('button', { name: 'Refresh mine', exact: true }).click(),
      ]);
      await page.reload();
      await page.locator(`${DASH}:visible`).waitFor();
      expect(await fetchNo(page)).toBe(cached); // stale-while-revalidate: the one stale read
      await waitForCounter(page, pattern, cached + 1); // ...and its background refetch
      await shot(pattern);
      await waitForHydration(page, 'form[data-action="update-mine"]');
      await page.getByRole('button', { name: 'Update mine (updateTag)' }).click();
      await waitForFetchNoAbove(page, cached); // read-your-writes
    });
  }

  it('p3: "Refresh mine" (revalidatePath) re-renders both blocks with one new fetch-no', async () => {
    await open(page, 'Pattern 3: React.cache', /Pattern 3/);
    const before = await fetchNo(page);
    expect(await fetchNo(page, 'dashboard-summary')).toBe(before);
    await page.getByRole('button', { name: 'Refresh mine', exact: true }).click();
    await waitForFetchNoAbove(page, before);
    expect(await fetchNo(page, 'dashboard-summary')).toBe(await fetchNo(page));
    await waitForCounter(page, 'p3', await fetchNo(page));
    await shot('p3');
  });

  it("sledgehammer: revalidatePath('/', 'layout') re-renders with a new fetch-no", async () => {
    await open(page, 'Sledgehammer', /sledgehammer/i);
    const before = await fetchNo(page);
    await page.getByRole('button', { name: 'Sledgehammer: revalidatePath layout' }).click();
    await waitForFetchNoAbove(page, before);
    await waitForCounter(page, 'sh', await fetchNo(page));
    await shot('sledgehammer');
  });

  it('logged no hydration errors', () => {
    expect(errors.filter((e) => HYDRATION.test(e))).toEqual([]);
  });
});
