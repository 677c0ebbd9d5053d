// The app's own 'use cache' handler (next.config `cacheHandlers.default`, apps/demo/lib/faulty-use-cache-handler.cjs)
// rejects every get(). With cachescope the app must answer exactly as without it (its error included: the
// rejection reaches the 'use cache' call unchanged), and cachescope must say the user's handler failed —
// a `use-cache` event with decision `skip` and the handler's error — not a miss or a dedupe, and not an
// internal error of its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActionId, freshSession, getPage } from '@cachescope/harness';
import type { UseCacheEvent } from '../../src/protocol/events.js';
import {
  blocks,
  boundedAction,
  boundedPage,
  snapshotOf,
  startPair,
  step,
  type Pair,
  type Side,
  type StepOutcome,
  type StepRecord,
} from './support.js';

/** The builds faults.test.ts and differential.test.ts use: the faulty handler is a run-time choice. */
const PROD_DIST = '.next-safety';
const HANDLER_ERROR = /demo faulty 'use cache' handler: get failed/;

/**
 * Next 16.4 never finishes streaming a page whose 'use cache' lookup rejected (with or without cachescope:
 * the shell arrives, the data boundary never resolves), so requests give up after this long.
 */
const MS = 6_000;

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, 'g')) ?? []).length;

describe("the app's own 'use cache' handler: get() rejects", () => {
  let pair: Pair | undefined;
  const trace: Record<Side['label'], StepRecord[]> = { with: [], plain: [] };

  beforeAll(async () => {
    pair = await startPair({ mode: 'prod', distDir: PROD_DIST, env: { DEMO_FAULTY_USE_CACHE_HANDLER: 'throw-get' } });
    // Action ids from the page shell (its 'use cache' data fails).
    const warm = freshSession('carol');
    for (const side of pair.both) {
      const { html } = await boundedPage(side.demo.baseUrl, '/pattern-2', warm, MS);
      for (const action of ['refresh-mine', 'refresh-everyone']) {
        const id = findActionId(html, action);
        if (!id) throw new Error(`no ${action} on the /pattern-2 shell (${side.label}): ${html.slice(0, 300)}`);
        side.actionIds.set(`p2 ${action}`, id);
      }
    }
  });
  afterAll(async () => {
    if (pair) {
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync('test-artifacts/safety-use-cache-handler-throw-get.log', pair.with.demo.logs());
    }
    await pair?.stop();
  });

  it('the app answers exactly as it does without cachescope, error included', async () => {
    const p = pair!;
    const alice = freshSession('alice');
    const go = (name: string, body: (side: Side) => Promise<StepOutcome>) => step(p, name, body, trace, 400);
    const page = (path: string) => async (s: Side) => {
      const { html: _html, ...outcome } = await boundedPage(s.demo.baseUrl, path, alice, MS);
      return outcome;
    };
    const act = (action: string) => (s: Side) => boundedAction(s, '/pattern-2', s.actionIds.get(`p2 ${action}`)!, alice, MS);
    await go('GET /pattern-2', page('/pattern-2'));
    await go('GET /pattern-2 again', page('/pattern-2'));
    await go('refresh-mine', act('refresh-mine'));
    await go('GET /pattern-2 after refresh-mine', page('/pattern-2'));
    await go('refresh-everyone', act('refresh-everyone'));
    // Pages without 'use cache' data are untouched by the fault.
    for (const path of ['/pattern-1', '/pattern-3', '/broken']) await go(`GET ${path}`, page(path));

    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/safety-use-cache-handler-throw-get.json', JSON.stringify(trace, null, 1));
    for (let i = 0; i < trace.plain.length; i++) expect(trace.with[i], trace.plain[i]!.step).toEqual(trace.plain[i]);
    expect(p.with.demo.backend.stats()).toEqual(p.plain.demo.backend.stats());
    // The fault really happened (else this compares two healthy apps): no Pattern 2 data, no backend hit for it.
    const at = (name: string) => trace.plain.find((r) => r.step === name)!;
    expect(at('GET /pattern-2').outcome).toMatchObject({ status: 200, timedOut: true, blocks: [] });
    expect(at('GET /pattern-2').hits).toEqual({});
    expect(at('GET /pattern-1').outcome).toMatchObject({ status: 200, timedOut: false, blocks: ['dashboard alice #1'] });
    // The handler's error reached Next's log exactly as often as without cachescope.
    expect(count(p.plain.demo.logs(), HANDLER_ERROR)).toBeGreaterThan(0);
    expect(count(p.with.demo.logs(), HANDLER_ERROR)).toBe(count(p.plain.demo.logs(), HANDLER_ERROR));
  }, 300_000);

  it("cachescope says the user's handler failed: skip with its error, never a miss or a dedupe", async () => {
    const snap = await snapshotOf(pair!.with.streamUrl!);
    const calls = snap.events.filter((e): e is UseCacheEvent => e.type === 'use-cache' && e.route === '/pattern-2');
    expect(calls.length, JSON.stringify(snap.events.filter((e) => e.route === '/pattern-2'))).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).toMatchObject({
        decision: 'skip',
        handlerKind: 'default',
        error: expect.stringMatching(HANDLER_ERROR),
        reason: expect.stringMatching(/'default' cache handler's get\(\) failed/),
      });
    }
    // No lookup of the failing handler passes for a miss.
    const reads = snap.events.filter((e) => e.type === 'cache-get' && e.handler === 'use-cache:default' && e.route === '/pattern-2');
    expect(reads).toEqual([]);
    expect(snap.events.filter((e) => e.type === 'internal-error')).toEqual([]);
    expect(snap.internalErrors ?? []).toEqual([]);

    // nothing crashed
    for (const side of pair!.both) {
      const page = await getPage(side.demo.baseUrl, '/pattern-1', freshSession('bob'), 10_000);
      expect(page.status).toBe(200);
      expect(blocks(page.dashboards)).toEqual(['dashboard bob #1']);
    }
  });
});
