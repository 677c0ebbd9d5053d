// Differential behaviour: the whole demo scenario (every pattern page, every refresh action, three users,
// the sledgehammer, POST /api/announcements) against the demo with cachescope and without it
// (CACHESCOPE=off), side by side, same steps, same sessions. What each step answered (normalised), the
// backend hits each step caused (the cache decisions as the backend sees them) and the totals must be
// identical: cachescope observes, it never decides. In next start, in next dev, and with cacheComponents off.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSession } from '@cachescope/harness';
import {
  ACTIONS,
  PAGES,
  USERS,
  actionOutcome,
  pageOutcome,
  snapshotOf,
  startPair,
  step,
  warmUp,
  type Pair,
  type Pattern,
  type Side,
  type StepRecord,
} from './support.js';

const CONFIGS = [
  { name: 'next start', mode: 'prod', cacheComponents: true, distDir: '.next-safety' },
  { name: 'next start, cacheComponents off', mode: 'prod', cacheComponents: false, distDir: '.next-safety-nocc' },
  { name: 'next dev', mode: 'dev', cacheComponents: true, distDir: '.next-safety-dev' },
] as const;

describe.each(CONFIGS)('with and without cachescope, $name', (config) => {
  let pair: Pair | undefined;
  const trace: Record<Side['label'], StepRecord[]> = { with: [], plain: [] };
  const quietMs = config.mode === 'dev' ? 800 : 400;

  beforeAll(async () => {
    pair = await startPair(config);
    const warm = freshSession('carol');
    await Promise.all(pair.both.map((side) => warmUp(side, warm)));
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('answers every step the same way and causes the same backend hits', async () => {
    const p = pair!;
    const run = (name: string, body: (side: Side) => Promise<Record<string, unknown>>) => step(p, name, body, trace, quietMs);

    // The home page and its globally cached block, revalidated by a route handler.
    const home = { alice: freshSession('alice'), bob: freshSession('bob') };
    await run('GET / as alice', (s) => pageOutcome(s.demo.baseUrl, '/', home.alice));
    await run('POST /api/announcements', async (s) => {
      const res = await fetch(`${s.demo.baseUrl}/api/announcements`, { method: 'POST' });
      return { status: res.status, body: await res.json() };
    });
    await run('GET / as bob', (s) => pageOutcome(s.demo.baseUrl, '/', home.bob));
    await run('GET / as bob again', (s) => pageOutcome(s.demo.baseUrl, '/', home.bob));

    // Every pattern with fresh sessions (each block stays well inside the 60 s revalidate windows).
    for (const pattern of Object.keys(PAGES) as Pattern[]) {
      const path = PAGES[pattern];
      const sessions = Object.fromEntries(USERS.map((u) => [u, freshSession(u)])) as Record<(typeof USERS)[number], string>;
      for (const user of USERS) await run(`GET ${path} as ${user}`, (s) => pageOutcome(s.demo.baseUrl, path, sessions[user]));
      await run(`GET ${path} as alice again`, (s) => pageOutcome(s.demo.baseUrl, path, sessions.alice));
      for (const action of ACTIONS[pattern]) {
        await run(`${action} on ${path} as alice`, (s) => actionOutcome(s, pattern, action, sessions.alice));
        await run(`GET ${path} as alice after ${action}`, (s) => pageOutcome(s.demo.baseUrl, path, sessions.alice));
        await run(`GET ${path} as bob after ${action}`, (s) => pageOutcome(s.demo.baseUrl, path, sessions.bob));
      }
    }

    // Both traces, for a human diff when this fails.
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(`test-artifacts/safety-differential-${config.distDir.slice(1)}.json`, JSON.stringify(trace, null, 1));

    // Step by step first (a readable diff names the step), then the whole trace and the totals.
    expect(trace.with.map((r) => r.step)).toEqual(trace.plain.map((r) => r.step));
    for (let i = 0; i < trace.plain.length; i++) {
      expect(trace.with[i], `step ${i}: ${trace.plain[i]!.step}`).toEqual(trace.plain[i]);
    }
    expect(p.with.demo.backend.stats()).toEqual(p.plain.demo.backend.stats());

    // The comparison means something: pages rendered users' data, some steps were served from the
    // cache (no backend hit), some refetched.
    const pageSteps = trace.plain.filter(
      (r) => r.step.startsWith('GET /pattern') || r.step.startsWith('GET /broken') || r.step.startsWith('GET /sledgehammer'),
    );
    expect(pageSteps.every((r) => (r.outcome.blocks as string[]).length >= 1)).toBe(true);
    expect(pageSteps.some((r) => Object.keys(r.hits).length === 0)).toBe(true);
    expect(pageSteps.some((r) => Object.keys(r.hits).length > 0)).toBe(true);
  }, 900_000);

  it('cachescope really was recording on one side, without an error of its own', async () => {
    const snap = await snapshotOf(pair!.with.streamUrl!);
    const fetches = snap.events.filter((e) => e.type === 'fetch' || e.type === 'unstable-cache' || e.type === 'use-cache');
    expect(fetches.length).toBeGreaterThan(20);
    expect(snap.revalidations.length).toBeGreaterThanOrEqual(10);
    expect(snap.events.filter((e) => e.type === 'internal-error')).toEqual([]);
    expect(snap.internalErrors ?? []).toEqual([]);
    expect(pair!.plain.demo.logs()).not.toMatch(/cachescope/i); // and was really absent on the other
  });
});
