// cachescope's own problems in the real overlay: `next start` exporting spans to an OTLP endpoint that
// answers 500 to every export. The panel shows the fault once, with its endpoint and count, the page
// keeps working, and Dismiss hides the banner.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, startDemo, type DemoServer } from '@cachescope/harness';
import { collectErrors, HYDRATION, launchChromium, waitForHydration } from './browser';

describe('overlay in Chromium: an OTLP endpoint answering 500', () => {
  let collector: Server;
  let endpoint = '';
  let exports = 0;
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    collector = createServer((req, res) => {
      exports++;
      req.resume();
      req.on('end', () => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
    demo = await startDemo({
      mode: 'prod',
      // the build overlay.test.ts makes (CACHESCOPE_ENABLED=1); the endpoint is run-time env
      distDir: '.next-cachescope',
      env: { CACHESCOPE_ENABLED: '1', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    if (demo) writeFileSync(join(ARTIFACTS_DIR, 'overlay-internal-errors-server.log'), demo.logs());
    await browser?.close();
    await demo?.stop();
    await new Promise((resolve) => {
      collector?.closeAllConnections();
      collector?.close(resolve);
    });
  });

  it('the panel shows the export fault once, with the endpoint, and Dismiss hides it', async () => {
    await page.goto(`${demo.baseUrl}/`);
    await waitForHydration(page, 'form[data-action="sign-in-alice"]');
    await page.locator('form[data-action="sign-in-alice"] button:visible').click();
    await page.getByText('signed in as alice').first().waitFor({ timeout: 30_000 });
    await page.goto(`${demo.baseUrl}/pattern-3`);
    await page.locator('[data-testid="dashboard"][data-user="alice"]:visible').waitFor({ timeout: 30_000 });
    await waitForHydration(page, 'form[data-action="refresh-mine"]');
    await page.getByRole('button', { name: 'Open cachescope' }).click();
    const banner = page.getByTestId('cachescope-internal-errors');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(exports).toBeGreaterThanOrEqual(1);
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('cachescope: 1 internal problem');
    const lines = await banner.locator('li').allTextContents();
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^otel\\.export: OTLP export to ${endpoint}/v1/traces failed: HTTP 500 Internal Server Error \\(×\\d+\\)$`),
      ),
    ]);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'overlay-internal-errors.png') });

    // The app is unaffected: its own content is there and the page raised no error.
    expect(await page.locator('[data-testid="dashboard"]:visible').count()).toBeGreaterThan(0);
    expect(errors.filter((e) => HYDRATION.test(e) || e.startsWith('pageerror'))).toEqual([]);

    await page.getByRole('button', { name: 'Dismiss internal problems' }).click();
    await banner.waitFor({ state: 'detached', timeout: 5_000 });
    // A refresh brings more failed exports, not the banner back (the same fault).
    await page.getByRole('button', { name: 'Refresh mine' }).first().click();
    await page.waitForTimeout(1_500);
    expect(await banner.count()).toBe(0);
    expect(demo.logs().match(/OTLP export to \S+ failed/g) ?? []).toHaveLength(1);
  });
});
