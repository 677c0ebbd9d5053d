// Folding of dynamic API reads (cookies(), headers(), …): one fact per request and API with a count,
// and call sites captured once per route and API in production.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DynamicApiFacts, Facts, RequestContext } from '../../../src/recorder/facts.js';
import { installRecorder, type Recorder } from '../../../src/recorder/recorder.js';
import { observeDynamicRead } from '../../../src/hooks/shims/dynamic-api.js';
import { callSitePolicy } from '../../../src/hooks/shims/call-site.js';
import { createFinalizer } from '../../../src/recorder/finalize.js';

let recorder: Recorder;
let saved: Pick<Recorder, 'context' | 'work'>;
const savedPolicy = callSitePolicy.memoize;
let request: object | undefined;
let ctx: RequestContext;

function cookies(): void {
  observeDynamicRead('cookies', cookies);
}
function headers(): void {
  observeDynamicRead('headers', headers);
}
const taken = (): DynamicApiFacts[] => recorder.takePending().filter((f: Facts): f is DynamicApiFacts => f.kind === 'dynamic-api');

beforeEach(() => {
  recorder = installRecorder();
  recorder.takePending();
  saved = { context: recorder.context, work: recorder.work };
  ctx = { requestKind: 'page', requestId: 1, route: '/dashboard', workUnit: 'request', phase: 'render' };
  request = {};
  recorder.context = () => ctx;
  recorder.work = () => request;
});
afterEach(() => {
  Object.assign(recorder, saved);
  callSitePolicy.memoize = savedPolicy;
});

describe('dynamic API reads', () => {
  it('fold per request and API, with a count, across the renders of the request', () => {
    for (let i = 0; i < 5; i++) cookies();
    headers();
    ctx = { ...ctx, workUnit: 'prerender-runtime' }; // Next 16.4's second render of the same request
    cookies();
    cookies();
    const facts = taken();
    expect(facts.map((f) => [f.api, f.count, f.ctx.workUnit])).toEqual([
      ['cookies', 7, 'request'],
      ['headers', 1, 'request'],
    ]);
    cookies(); // taken but not finalized yet: still counting there
    expect(facts[0]!.count).toBe(8);
    facts[0]!.finalized = true; // reported: a later read opens a new fact
    cookies();
    const first = request;
    request = {}; // another request
    cookies();
    expect(taken().map((f) => [f.api, f.count])).toEqual([
      ['cookies', 1],
      ['cookies', 1],
    ]);
    request = first;
  });

  it('without a work store, fold by request id and API', () => {
    recorder.work = undefined;
    cookies();
    cookies();
    ctx = { ...ctx, requestId: 2 };
    cookies();
    expect(taken().map((f) => [f.ctx.requestId, f.count])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it("name the app's call site; in production one capture per route and API", () => {
    callSitePolicy.memoize = true; // as under next start
    cookies();
    request = {};
    cookies();
    ctx = { ...ctx, route: '/other' };
    request = {};
    cookies();
    const [a, b, c] = taken();
    expect(a!.site).toBe(b!.site);
    expect(c!.site).not.toBe(a!.site);
    expect(a!.site.stack).toMatch(/dynamic-api\.test\.ts:\d+/); // the frame that called cookies()

    callSitePolicy.memoize = false; // as in next dev
    request = {};
    cookies();
    request = {};
    cookies();
    const [d, e] = taken();
    expect(d!.site).not.toBe(e!.site);
  });
});

describe('dynamic API reads at flush time', () => {
  it('stay one event while the request keeps reading, and are reported once it stopped (250 ms without a read)', () => {
    const finalizer = createFinalizer();
    cookies();
    const [fact] = taken();
    const t = fact!.t;
    expect(finalizer.build(fact!, t + 10)).toEqual({ events: [], recheckAt: t + 260 });
    cookies(); // the same request reads again, after the first flush saw it
    cookies();
    expect(finalizer.build(fact!, t + 200).recheckAt).toBe(t + 450);
    expect(finalizer.build(fact!, t + 440).recheckAt).toBe(t + 450); // 240 ms since the count last changed
    const built = finalizer.build(fact!, t + 455);
    expect(built.recheckAt).toBeUndefined();
    expect(built.events).toMatchObject([{ type: 'dynamic-api', api: 'cookies', count: 3 }]);
    expect(fact!.finalized).toBe(true);
  });

  it('a render that never stops reading is reported after 30 s, as it stands', () => {
    const finalizer = createFinalizer();
    cookies();
    const [fact] = taken();
    for (let at = 10; at < 30_000; at += 1_000) {
      fact!.count++;
      expect(finalizer.build(fact!, fact!.t + at).recheckAt).toBeGreaterThan(fact!.t + at);
    }
    fact!.count++;
    expect(finalizer.build(fact!, fact!.t + 30_000).events).toHaveLength(1);
  });
});

describe('call sites at flush time', () => {
  type Reported = { callSite?: string; site?: object };
  /** Two requests read cookies() at two lines; both reads reported (each once its request stopped reading). */
  function twoRequestsReported(): { facts: DynamicApiFacts[]; events: Reported[] } {
    const finalizer = createFinalizer();
    cookies();
    request = {};
    cookies();
    const facts = taken();
    const events = facts.map((fact) => {
      finalizer.build(fact, fact.t + 10);
      return finalizer.build(fact, fact.t + 1_000).events[0] as Reported;
    });
    return { facts, events };
  }

  it("under next start a place's shared site is resolved once: every later event carries the same fields", () => {
    callSitePolicy.memoize = true; // as under next start
    const {
      facts,
      events: [first, second],
    } = twoRequestsReported();
    expect(facts[0]!.site).toBe(facts[1]!.site);
    expect(first!.callSite).toMatch(/dynamic-api\.test\.ts:\d+/);
    expect(second!.site).toBe(first!.site);
    expect(second!.callSite).toBe(first!.callSite);
  });

  it('in dev each call is resolved from its own capture: each names its own line', () => {
    callSitePolicy.memoize = false; // as in next dev
    const {
      events: [first, second],
    } = twoRequestsReported();
    expect(first!.callSite).toMatch(/dynamic-api\.test\.ts:\d+/);
    expect(second!.callSite).toMatch(/dynamic-api\.test\.ts:\d+/);
    expect(second!.callSite).not.toBe(first!.callSite);
  });
});
