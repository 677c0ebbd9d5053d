// Folding of dynamic API reads (cookies(), headers(), …): one fact per work unit and API with a count,
// and call sites captured once per route and API in production.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DynamicApiFacts, Facts, RequestContext } from '../../../src/recorder/facts.js';
import { installRecorder, type Recorder } from '../../../src/recorder/recorder.js';
import { observeDynamicRead } from '../../../src/next/shims/dynamic-api.js';

let recorder: Recorder;
let saved: Pick<Recorder, 'context' | 'unit'>;
const savedEnv = process.env.NODE_ENV;
let unit: object | undefined;
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
  saved = { context: recorder.context, unit: recorder.unit };
  ctx = { requestKind: 'page', requestId: 1, route: '/dashboard', workUnit: 'request', phase: 'render' };
  unit = { type: 'request' };
  recorder.context = () => ctx;
  recorder.unit = () => unit;
});
afterEach(() => {
  Object.assign(recorder, saved);
  process.env.NODE_ENV = savedEnv;
});

describe('dynamic API reads', () => {
  it('fold per work unit and API, with a count', () => {
    for (let i = 0; i < 5; i++) cookies();
    headers();
    const first = unit;
    unit = { type: 'prerender-runtime' }; // the same request's second render is another unit
    cookies();
    cookies();
    const facts = taken();
    expect(facts.map((f) => [f.api, f.count])).toEqual([
      ['cookies', 5],
      ['headers', 1],
      ['cookies', 2],
    ]);
    unit = first;
    cookies(); // the first unit's cookies fact was taken but not finalized yet: still counting there
    expect(facts[0]!.count).toBe(6);
    facts[0]!.finalized = true; // flushed: a later read opens a new fact
    cookies();
    expect(taken().map((f) => [f.api, f.count])).toEqual([['cookies', 1]]);
  });

  it('without a work unit, fold by request, unit type and API', () => {
    recorder.unit = undefined;
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
    process.env.NODE_ENV = 'production';
    cookies();
    unit = {};
    cookies();
    ctx = { ...ctx, route: '/other' };
    unit = {};
    cookies();
    const [a, b, c] = taken();
    expect(a!.site).toBe(b!.site);
    expect(c!.site).not.toBe(a!.site);
    expect(a!.site.stack).toMatch(/dynamic-api\.test\.ts:\d+/); // the frame that called cookies()

    process.env.NODE_ENV = 'development';
    unit = {};
    cookies();
    unit = {};
    cookies();
    const [d, e] = taken();
    expect(d!.site).not.toBe(e!.site);
  });
});
