// Every fetch decision cachescope reports over the demo, checked call by call against the origin's hit
// counter: a call that went to the origin (miss, skip, stale: its background refetch) is one backend hit,
// a hit or a dedupe none; a miss that says it stored is followed by a read the origin never sees, and a
// miss or skip that says nothing was stored by one it does (unless an enclosing cache answers it).
// Several users (and none), several reads each, in next dev and next build && next start, with
// cacheComponents on and off.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FetchEvent, Snapshot } from '../../src/protocol/events.js';
import { getPage, waitFor } from '@cachescope/harness';
import { eventsAfter, useScenario, type Scenario } from './scenario.js';

const READS = 3;
const PATHS = [
  '/',
  '/broken',
  '/pattern-1',
  '/pattern-2',
  '/pattern-3',
  '/sledgehammer',
  '/shapes/force-cache',
  '/shapes/route',
  '/shapes/tag-limits',
];
/** Work units whose own cache entry answers the next read, so a skipped inner fetch need not run again. */
const ENCLOSING_CACHES = new Set(['unstable-cache', 'cache', 'private-cache']);

type Counts = Record<string, number>;
type Read = { calls: FetchEvent[]; origin: Counts };

/** The backend counter a demo fetch counts under: its `pattern` query parameter. */
function patternOf(e: FetchEvent): string {
  return new URL(e.url).searchParams.get('pattern') ?? e.url;
}

const wentToOrigin = (e: FetchEvent) => e.decision === 'miss' || e.decision === 'skip' || e.decision === 'stale';

/** Backend hits per pattern (all users: one user reads at a time). */
function originCounts(s: Scenario): Counts {
  const out: Counts = {};
  for (const [pattern, byUser] of Object.entries(s.demo.backend.stats().hits)) {
    out[pattern] = Object.values(byUser).reduce((a, b) => a + b, 0);
  }
  return out;
}

function delta(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

/** Until cachescope and the backend are both quiet (a held call reported, a background refetch landed). */
async function quiet(s: Scenario): Promise<Snapshot> {
  let last = '';
  return waitFor(
    async () => {
      const snap = await s.snapshot();
      const now = `${snap.events.at(-1)?.id}:${JSON.stringify(originCounts(s))}`;
      const same = now === last;
      last = now;
      return same ? snap : undefined;
    },
    { intervalMs: 150, timeoutMs: 60_000, what: 'cachescope and the backend to go quiet' },
  );
}

async function read(s: Scenario, path: string, cookie: string | undefined): Promise<Read> {
  const mark = (await quiet(s)).events.at(-1)?.id ?? 0;
  const before = originCounts(s);
  const page = await getPage(s.demo.baseUrl, path, cookie);
  expect(page.status, `${path} answered ${page.status}`).toBeLessThan(400);
  const snap = await quiet(s);
  const calls = eventsAfter(snap, mark).filter((e): e is FetchEvent => e.type === 'fetch' && !e.url.includes('/__stats'));
  return { calls, origin: delta(originCounts(s), before) };
}

const describeCall = (e: FetchEvent) => `#${e.id} ${e.decision}/${e.reasonCode} (${e.workUnit ?? '?'}) ${patternOf(e)}`;

describe.each([
  { name: 'next dev', mode: 'dev', cacheComponents: true },
  { name: 'next start', mode: 'prod', cacheComponents: true },
  { name: 'next dev, cacheComponents off', mode: 'dev', cacheComponents: false },
  { name: 'next start, cacheComponents off', mode: 'prod', cacheComponents: false },
] as const)('every fetch decision matches the origin counter in $name', ({ name, mode, cacheComponents }) => {
  const scenario = useScenario(mode, { cacheComponents });

  it('over every demo page, for three users and an anonymous visitor, read after read', async () => {
    const s = scenario();
    const sessions = s.sessions();
    const visitors: [string, string | undefined][] = [...Object.entries(sessions), ['anonymous', undefined]];
    const run = randomUUID();
    let checked = 0;
    const tally: Record<string, number> = {};
    for (const [who, cookie] of visitors) {
      for (const base of PATHS) {
        const path = base.startsWith('/shapes/') ? `${base}?run=${run}-${who}` : base;
        const reads: Read[] = [];
        for (let i = 0; i < READS; i++) reads.push(await read(s, path, cookie));
        reads.forEach((r, i) => {
          const where = `${who} ${path} read ${i + 1}: ${r.calls.map(describeCall).join(', ') || 'no calls'}; origin ${JSON.stringify(r.origin)}`;
          const patterns = new Set([...r.calls.map(patternOf), ...Object.keys(r.origin)]);
          for (const p of patterns) {
            // Call by call: each call that went to the origin is one backend hit, each hit or dedupe none.
            expect(r.calls.filter((e) => patternOf(e) === p && wentToOrigin(e)).length, where).toBe(r.origin[p] ?? 0);
          }
          const next = reads[i + 1];
          if (!next) return;
          for (const e of r.calls) {
            const p = patternOf(e);
            const nextWhere = `${where} -> next read: ${next.calls.map(describeCall).join(', ') || 'no calls'}; origin ${JSON.stringify(next.origin)}`;
            if (e.decision === 'miss' && e.reasonCode === 'cold-miss') {
              // "stored": the next identical read never reaches the origin.
              expect(next.origin[p] ?? 0, nextWhere).toBe(0);
              checked++;
            } else if ((e.decision === 'skip' || e.reasonCode === 'not-stored') && !ENCLOSING_CACHES.has(e.workUnit ?? '')) {
              // "not stored": the next identical read goes to the origin again.
              expect(next.origin[p] ?? 0, nextWhere).toBeGreaterThanOrEqual(1);
              checked++;
            }
          }
        });
        for (const e of reads.flatMap((r) => r.calls))
          tally[`${e.decision}/${e.reasonCode}`] = (tally[`${e.decision}/${e.reasonCode}`] ?? 0) + 1;
        checked += reads.reduce((n, r) => n + r.calls.length, 0);
      }
    }
    console.info(`${name}: ${checked} checks`, tally);
    expect(checked).toBeGreaterThan(0);
  }, 600_000);
});
