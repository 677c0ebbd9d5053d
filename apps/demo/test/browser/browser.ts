// Browser plumbing for the smoke test: Debian Chromium via playwright-core, console/pageerror
// collection, a hydration probe, and visible-only lookups. With cacheComponents, Next keeps
// previously visited routes in the DOM (hidden), so every lookup must skip hidden copies.
import { chromium, type Browser, type Page } from 'playwright-core';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-quic'],
  });
}

/** Collects console errors and uncaught page errors for the page's whole life. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return errors;
}

export const HYDRATION = /hydrat|did not match|server rendered html|text content does not match/i;

/** Waits until `selector`'s visible element has been hydrated (React attaches `__reactFiber$…`). */
export async function waitForHydration(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) =>
      [...document.querySelectorAll(sel)].some((el) => el.checkVisibility() && Object.keys(el).some((k) => k.startsWith('__reactFiber$'))),
    selector,
    { timeout: 30_000 },
  );
}

/** Waits until the visible element matching `selector` has a numeric `attr` (or text) satisfying `op n`. */
export async function waitForNumber(page: Page, selector: string, attr: string | null, op: '>' | '>=', n: number) {
  await page.waitForFunction(
    ([sel, a, o, limit]) => {
      const el = [...document.querySelectorAll(sel)].find((e) => e.checkVisibility());
      if (!el) return false;
      const value = Number(a ? el.getAttribute(a) : el.textContent);
      return o === '>' ? value > limit : value >= limit;
    },
    [selector, attr, op, n] as const,
    { timeout: 15_000 },
  );
}

/** The numeric `attr` (or text) of the visible element matching `selector`. */
export async function readNumber(page: Page, selector: string, attr: string | null = null): Promise<number> {
  const el = page.locator(`${selector}:visible`).first();
  return Number(attr ? await el.getAttribute(attr) : await el.textContent());
}
