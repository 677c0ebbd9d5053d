// The overlay in real Chromium against the demo with cachescope on: what a user sees while clicking.
// The broken pattern's refresh shows up as a NO-OP and its tag as ORPHANED (with the dynamic reason)
// within a second; Pattern 1's refreshes show exactly the entries of the users who signed in.
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, DEMO_DIR, freePortRange, startDemo, type DemoServer } from '@cachescope/harness';
import { collectErrors, HYDRATION, launchChromium, waitForHydration } from './browser';
import { lineOf } from '@cachescope/harness';

/** How long the overlay may take from the click to showing the verdict (the "within one second"). */
const VERDICT_MS = 1_000;

async function signIn(page: Page, user: string) {
  await waitForHydration(page, `form[data-action="sign-in-${user}"]`);
  await page.locator(`form[data-action="sign-in-${user}"] button:visible`).click();
  await page.getByText(`signed in as ${user}`).first().waitFor({ timeout: 30_000 });
}

async function openPage(page: Page, linkText: string, user: string) {
  await page.getByRole('navigation', { name: 'Patterns' }).getByRole('link', { name: linkText }).click();
  await page.locator(`[data-testid="dashboard"][data-user="${user}"]:visible`).waitFor({ timeout: 30_000 });
  await waitForHydration(page, 'form[data-action="refresh-mine"]');
}

const overlayTab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

/** The newest revalidation card whose label contains `labelPart`, e.g. `("dashboard-data"`. */
function revalidationCard(page: Page, labelPart: string): Locator {
  return page.getByTestId('cachescope-revalidation').filter({ hasText: labelPart }).first();
}

/** A source link opens the file at its line: in dev through Next's launch-editor endpoint (intercepted: no editor is launched), else a vscode:// link. */
async function expectOpensInEditor(page: Page, mode: 'dev' | 'prod', link: Locator, file: string, line: number) {
  if (mode === 'prod') {
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^vscode://file${DEMO_DIR}/${file.replaceAll('.', '\\.')}:${line}:\\d+$`));
    return;
  }
  let asked: URL | undefined;
  await page.route('**/__nextjs_launch-editor**', (route) => {
    asked = new URL(route.request().url());
    return route.fulfill({ status: 204 });
  });
  await link.click();
  await expect.poll(() => asked?.searchParams.get('file')).toBe(file);
  expect(asked!.searchParams.get('line1')).toBe(String(line));
  expect(Number(asked!.searchParams.get('column1'))).toBeGreaterThan(0);
  await page.unroute('**/__nextjs_launch-editor**');
}

describe.each(['dev', 'prod'] as const)('overlay in Chromium, next %s', (mode) => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS_DIR, `overlay-${mode}-${name}.png`) });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const distDir = mode === 'prod' ? '.next-cachescope' : '.next';
    // Start from an empty data cache so "one entry per signed-in user" counts only this test's users.
    rmSync(join(DEMO_DIR, mode === 'dev' ? join(distDir, 'dev') : distDir, 'cache', 'fetch-cache'), { recursive: true, force: true });
    // Nothing tells the overlay where the stream is: in dev CACHESCOPE_PORT alone moves it (both sides), in
    // start the stream takes the first free port from 7340 and the overlay finds it by the app's identity.
    const streamPort: Record<string, string> = mode === 'dev' ? { CACHESCOPE_PORT: String(await freePortRange(10)) } : {};
    demo = await startDemo({ mode, distDir, env: { CACHESCOPE_ENABLED: '1', ...streamPort } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    errors = collectErrors(page);
    await page.goto(`${demo.baseUrl}/`);
    await signIn(page, 'alice');
  });

  afterAll(async () => {
    writeFileSync(join(ARTIFACTS_DIR, `overlay-${mode}-console-errors.txt`), `${errors.join('\n')}\n`);
    await browser?.close();
    await demo?.stop();
  });

  it('the floating button opens the panel', async () => {
    await page.getByRole('button', { name: 'Open cachescope' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Close cachescope' }).count()).toBe(1);
    await expect.poll(() => overlayTab(page, 'Requests').count()).toBe(1);
  });

  it('broken pattern: "Refresh mine" shows a NO-OP and dashboard-data ORPHANED with the dynamic reason within a second', async () => {
    await openPage(page, 'Broken pattern', 'alice');
    await overlayTab(page, 'Revalidations').click();
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Refresh mine' }).click();
    const noop = revalidationCard(page, '("dashboard-data"');
    await noop.waitFor({ timeout: VERDICT_MS });
    expect(await noop.getAttribute('data-noop')).toBe('true');
    await expect.poll(() => noop.getByText('NO-OP').count(), { timeout: VERDICT_MS }).toBeGreaterThan(0);
    const shownAfterMs = Date.now() - clicked;
    expect(shownAfterMs).toBeLessThanOrEqual(VERDICT_MS);
    // the call site is the app's Server Action in its source (through the build's source maps), not
    // cachescope's wrapper or Next's runtime; a click opens it in the editor
    const link = noop.getByTestId('cachescope-source-link');
    const line = lineOf('app/broken/actions.ts', "revalidateTag('dashboard-data'", 'refreshMine');
    expect(await link.getAttribute('data-file')).toBe('app/broken/actions.ts');
    expect(await link.getAttribute('data-line')).toBe(String(line));
    expect(await link.textContent()).toMatch(new RegExp(`^refreshMine \\(app/broken/actions\\.ts:${line}:\\d+\\)$`));
    await expectOpensInEditor(page, mode, link, 'app/broken/actions.ts', line);
    await shot('revalidations');

    await overlayTab(page, 'Tags').click();
    const tagRow = page.locator('[data-testid="cachescope-tag-row"][data-tag="dashboard-data"]');
    await tagRow.waitFor({ timeout: VERDICT_MS });
    await expect.poll(() => tagRow.textContent()).toContain('ORPHANED');
    await shot('tags');

    await overlayTab(page, 'Findings').click();
    const orphan = page.locator('[data-testid="cachescope-finding"][data-kind="orphaned-tag"]').filter({ hasText: 'dashboard-data' });
    await orphan.first().waitFor({ timeout: VERDICT_MS });
    const reason = await orphan.first().getByTestId('cachescope-dynamic-reason').textContent();
    expect(reason).toMatch(/Cookie|no cache option/i);
    // the evidence names where the app called the fetch that dropped the tag, in its source
    const FETCH_FILE = 'lib/patterns/broken.ts';
    const fetchLine = lineOf(FETCH_FILE, "await fetch(dashboardUrl('broken')");
    const evidenceLink = orphan.first().locator(`[data-testid="cachescope-source-link"][data-file="${FETCH_FILE}"]`).first();
    await evidenceLink.waitFor({ timeout: VERDICT_MS });
    expect(await evidenceLink.getAttribute('data-line')).toBe(String(fetchLine));
    await expectOpensInEditor(page, mode, evidenceLink, FETCH_FILE, fetchLine);
    await shot('findings');

    await overlayTab(page, 'Requests').click();
    await expect.poll(() => page.getByTestId('cachescope-call-row').filter({ hasText: 'SKIP' }).count()).toBeGreaterThan(0);
    await shot('requests');
  });

  it("pattern 1: refresh mine matches exactly one entry; refresh everyone's one per signed-in user", async () => {
    await openPage(page, 'Pattern 1: unstable_cache', 'alice');
    await signIn(page, 'bob');
    await page.locator('[data-testid="dashboard"][data-user="bob"]:visible').waitFor({ timeout: 30_000 });
    await overlayTab(page, 'Revalidations').click();

    await page.getByRole('button', { name: 'Refresh mine' }).click();
    const mine = revalidationCard(page, '("p1:dashboard-data:');
    await mine.waitFor({ timeout: VERDICT_MS * 2 });
    await expect.poll(() => mine.textContent(), { timeout: VERDICT_MS * 2 }).toContain('Matched entries (1)');

    await page.getByRole('button', { name: "Refresh everyone's" }).click();
    const everyone = revalidationCard(page, '("p1:dashboard-data"');
    await expect.poll(() => everyone.textContent(), { timeout: VERDICT_MS * 2 }).toContain('Matched entries (2)');
    await expect.poll(() => everyone.textContent()).toContain('2 user scopes');
    await shot('pattern-1-revalidations');
  });

  it('caused no hydration errors', () => {
    expect(errors.filter((e) => HYDRATION.test(e))).toEqual([]);
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
