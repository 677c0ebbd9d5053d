// Two different Next apps on one machine (a monorepo's `apps/web` and `apps/admin`), both wired by the
// README's three steps and nothing else, both using the tag `shared`: each app's stream, tag index, CLI
// answer and overlay hold only that app. Ground truth: a counting origin per app.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot, StreamHealth } from '@cachescope/instrument/types';
import {
  DEMO_DIR,
  buildFixtureApp,
  copyFixtureApp,
  startCountingOrigin,
  startFixtureApp,
  waitFor,
  type CountingOrigin,
  type FixtureApp,
  type RunningApp,
} from '@cachescope/harness';
import { launchChromium } from '../browser/browser';

const CLI = join(DEMO_DIR, '..', '..', 'packages', 'instrument', 'dist', 'cli', 'bin.js');

const json = async <T>(url: string): Promise<T> => (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json() as Promise<T>;
const get = async (app: RunningApp) => {
  const res = await fetch(`${app.baseUrl}/`, { signal: AbortSignal.timeout(60_000) });
  expect(res.status, app.logs().slice(-2000)).toBe(200);
  return res.text();
};
const streamOf = (app: RunningApp) => {
  const url = app.streamUrl();
  if (!url) throw new Error(`${app.app.name} logged no stream:\n${app.logs().slice(-3000)}`);
  return url;
};
const fetchUrls = (snapshot: Snapshot) => snapshot.events.flatMap((e) => (e.type === 'fetch' ? [e.url] : []));

/** What `cachescope <args>` prints, run as a user runs it, in `cwd`. */
function cli(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.CACHESCOPE_PORT;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function suite(mode: 'dev' | 'prod') {
  let origin: CountingOrigin;
  const fixtures: FixtureApp[] = [];
  const running: RunningApp[] = [];
  let web: RunningApp;
  let admin: RunningApp;
  let browser: Browser | undefined;
  const envFor = (app: FixtureApp): Record<string, string> => ({
    ORIGIN_URL: origin.url,
    APP_NAME: app.name,
    ...(mode === 'prod' ? { CACHESCOPE_ENABLED: '1' } : {}),
  });

  beforeAll(async () => {
    delete process.env.CACHESCOPE_PORT; // default settings: nothing says where the streams go
    origin = await startCountingOrigin();
    fixtures.push(copyFixtureApp('monorepo-app', `web-${mode}`), copyFixtureApp('monorepo-app', `admin-${mode}`));
    if (mode === 'prod') for (const app of fixtures) await buildFixtureApp(app, { CACHESCOPE_ENABLED: '1' });
    [web, admin] = await Promise.all(fixtures.map((app) => startFixtureApp(app, mode, envFor(app))));
    running.push(web, admin);
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(running.map((app) => app.stop()));
    await origin?.close();
  });

  it('each app serves its own stream, which names its app, and says where in its start line', async () => {
    const [webUrl, adminUrl] = [streamOf(web), streamOf(admin)];
    expect(webUrl).not.toBe(adminUrl);
    const [webHealth, adminHealth] = await Promise.all([json<StreamHealth>(`${webUrl}/health`), json<StreamHealth>(`${adminUrl}/health`)]);
    expect(webHealth.app).toMatchObject({ name: `web-${mode}`, dir: fixtures[0]!.dir, mode });
    expect(adminHealth.app).toMatchObject({ name: `admin-${mode}`, dir: fixtures[1]!.dir, mode });
    for (const app of [web, admin]) {
      expect(app.logs()).not.toMatch(/forwarding this process's events/);
      expect(app.logs()).toMatch(
        new RegExp(
          `recording Next\\.js \\S+ cache decisions of app ${app.app.name} \\(${app.app.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\), stream http`,
        ),
      );
    }
  });

  it("a revalidation in one app matches only its own entry; the other app's cache is untouched", async () => {
    for (const app of [web, admin, web, admin]) await get(app);
    expect(origin.hits).toMatchObject({ [web.app.name]: 1, [admin.app.name]: 1 });
    const res = await fetch(`${web.baseUrl}/revalidate`, { method: 'POST' });
    expect(res.status).toBe(200);

    const revalidation = await waitFor(
      async () => {
        const snapshot = await json<Snapshot>(`${streamOf(web)}/snapshot`);
        return snapshot.revalidations.find((r) => r.tags.includes('shared') && r.status !== 'pending');
      },
      { timeoutMs: 15_000, intervalMs: 200, what: "web's revalidateTag('shared') in its snapshot" },
    );
    expect(revalidation.matched.filter((m) => m.kind === 'FETCH')).toHaveLength(1);

    const [webSnapshot, adminSnapshot] = await Promise.all([
      json<Snapshot>(`${streamOf(web)}/snapshot`),
      json<Snapshot>(`${streamOf(admin)}/snapshot`),
    ]);
    expect(fetchUrls(webSnapshot).length).toBeGreaterThan(0);
    expect(
      fetchUrls(webSnapshot).every((u) => u.includes(`app=${web.app.name}`)),
      fetchUrls(webSnapshot).join('\n'),
    ).toBe(true);
    expect(fetchUrls(adminSnapshot).length).toBeGreaterThan(0);
    expect(
      fetchUrls(adminSnapshot).every((u) => u.includes(`app=${admin.app.name}`)),
      fetchUrls(adminSnapshot).join('\n'),
    ).toBe(true);
    expect(adminSnapshot.revalidations).toEqual([]);
    expect(webSnapshot.app?.name).toBe(web.app.name);

    // Next agrees: admin's entry still serves (no origin request), web's was expired (one more)
    await get(admin);
    await get(web);
    expect(origin.hits).toMatchObject({ [web.app.name]: 2, [admin.app.name]: 1 });
  });

  it("each app's overlay in Chromium finds its own stream and shows only its own requests", async () => {
    browser = await launchChromium();
    for (const [app, other] of [
      [web, admin],
      [admin, web],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      await page.goto(`${app.baseUrl}/`);
      await page.getByTestId('cachescope-toggle').click();
      const status = page.getByTestId('cachescope-status');
      await status.getByText(`live · app ${app.app.name} (${mode})`).waitFor({ timeout: 30_000 });
      const panel = page.getByTestId('cachescope-panel');
      await panel.getByText(`app=${app.app.name}`).first().waitFor({ timeout: 15_000 });
      expect(await panel.textContent()).not.toContain(`app=${other.app.name}`);
      await page.close();
    }
  });

  it('the CLI picks the app of the folder it runs in, and `cachescope apps` lists both', () => {
    const apps = cli(['apps', '--json'], fixtures[0]!.dir);
    expect(apps.code, apps.err).toBe(0);
    const listed = JSON.parse(apps.out) as Array<{ url: string; app: { name: string } | null }>;
    expect(listed.map((s) => s.app?.name)).toEqual(expect.arrayContaining([web.app.name, admin.app.name]));
    for (const app of [web, admin]) {
      const snapshot = cli(['snapshot'], join(app.app.dir, 'app'));
      expect(snapshot.code, snapshot.err).toBe(0);
      expect((JSON.parse(snapshot.out) as Snapshot).app?.name).toBe(app.app.name);
    }
  });

  if (mode === 'dev') {
    it("the panel and the toggle stay clear of Next's dev-tools indicator in each docking position", async () => {
      browser ??= await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      await page.goto(`${web.baseUrl}/`);
      const indicator = page.locator('#devtools-indicator'); // inside <nextjs-portal>'s open shadow root
      await indicator.waitFor({ timeout: 30_000 });
      await page.getByTestId('cachescope-toggle').click();
      await page.getByTestId('cachescope-status').getByText(`live · app ${web.app.name}`).waitFor({ timeout: 30_000 });
      for (const position of ['bottom-left', 'bottom-right', 'top-left', 'top-right']) {
        await page.getByLabel('Button position').selectOption(position);
        await page.waitForTimeout(700); // the overlay looks at the indicator twice a second
        const badge = (await indicator.boundingBox())!;
        for (const testId of ['cachescope-panel', 'cachescope-toggle']) {
          const box = (await page.getByTestId(testId).boundingBox())!;
          const overlap =
            box.x < badge.x + badge.width && badge.x < box.x + box.width && box.y < badge.y + badge.height && badge.y < box.y + box.height;
          expect(overlap, `${testId} at ${position} covers Next's indicator ${JSON.stringify(badge)}: ${JSON.stringify(box)}`).toBe(false);
        }
        // what sits on the panel's edge nearest the indicator is reachable: a real click lands on it
        await page.getByTestId('cachescope-status').click({ timeout: 5_000 });
        await page.getByRole('tab', { name: /^Findings/ }).click({ timeout: 5_000 });
        await page.getByRole('tab', { name: /^Requests/ }).click({ timeout: 5_000 });
        // and Next's indicator is not covered either: the topmost element at its centre is Next's portal
        const topmost = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.tagName.toLowerCase(), {
          x: badge.x + badge.width / 2,
          y: badge.y + badge.height / 2,
        });
        expect(topmost, `at ${position}`).toBe('nextjs-portal');
      }
      await page.close();
    });
  }

  if (mode === 'prod') {
    it("one app, two next start processes on one build: one stream holds both processes' events", async () => {
      const second = await startFixtureApp(fixtures[0]!, 'prod', envFor(fixtures[0]!));
      running.push(second);
      expect(second.logs()).toMatch(
        new RegExp(`already serves the event stream of app ${web.app.name} \\(prod\\) on ${streamOf(web)}; forwarding`),
      );
      await get(second);
      await get(web);
      const pids = await waitFor(
        async () => {
          const snapshot = await json<Snapshot>(`${streamOf(web)}/snapshot`);
          const seen = new Set(snapshot.events.filter((e) => e.type === 'fetch').map((e) => e.pid));
          return seen.size >= 2 ? seen : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 200, what: "fetch events of both processes in web's stream" },
      );
      expect(pids.size).toBe(2);
    });
  }
}

describe('two apps at once, next dev, default settings', () => suite('dev'));
describe('two apps at once, next build && next start (CACHESCOPE_ENABLED=1), default settings', () => suite('prod'));
