// Where the recorder takes a cached call's user scope from: the requester's credentials when the call's
// key or tags carry them, never the call's argument values (issue 12, defect 3).
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import type { CacheScopeEvent } from '../../../src/protocol/events.js';
import { scopeHash, shortHash } from '../../../src/analysis/hash.js';
import type { Facts, RequestContext } from '../../../src/recorder/facts.js';
import { createPipeline, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder } from '../../../src/recorder/recorder.js';

const SESSION = 'alice.5f0c2a9be1d34a7f90c1';
const anonymous: RequestContext = {
  requestKind: 'page',
  requestId: 1,
  route: '/shapes/use-cache-args',
  workUnit: 'request',
  phase: 'render',
};
const alice: RequestContext = { ...anonymous, requestId: 2, requester: { cookie: `session=${SESSION}` } };
const t = () => Date.now() - 1_000;
const pipelines: Pipeline[] = [];

function record(...facts: Facts[]): CacheScopeEvent[] {
  const recorder = installRecorder();
  recorder.takePending();
  const p = createPipeline({ recorder, analysis: createAnalyzer(), flushMs: 60_000 });
  pipelines.push(p);
  for (const f of facts) recorder.record(f);
  p.flush();
  return p.snapshot().events;
}

afterEach(() => {
  for (const p of pipelines.splice(0)) p.stop();
});

/** A 'use cache' miss: the lookup, then the set that carries the tags. */
function useCacheMiss(args: string, tags: string[], ctx: RequestContext): Facts[] {
  const io = {
    handler: 'use-cache:default' as const,
    entryKind: 'USE_CACHE',
    key: `["build","fn-id",${args}]`,
    softTags: [],
    url: 'fn-id',
    ctx,
  };
  return [
    { kind: 'cache-get', ...io, tags: [], result: 'miss', t: t() },
    { kind: 'cache-set', ...io, tags, t: t() },
  ];
}

const scopesOf = (events: CacheScopeEvent[], type: CacheScopeEvent['type']) =>
  events.filter((e) => e.type === type).map((e) => (e as { scope?: string }).scope);

describe('user scopes of cached calls', () => {
  it("'use cache' called with four arguments: four entries, no scope, signed in or not", () => {
    for (const ctx of [anonymous, alice]) {
      const events = record(...['a', 'b', 'c', 'd'].flatMap((arg) => useCacheMiss(`["${arg}"]`, ['c'], ctx)));
      expect(scopesOf(events, 'use-cache')).toEqual([undefined, undefined, undefined, undefined]);
      expect(scopesOf(events, 'cache-set')).toEqual([undefined, undefined, undefined, undefined]);
    }
  });

  it("'use cache' given the session, or tagged with its hash: the requester's scope", () => {
    const passed = record(...useCacheMiss(`["${SESSION}"]`, ['p2:dashboard-data'], alice));
    const tagged = record(...useCacheMiss('["dashboard"]', [`p2:dashboard-data:${shortHash(SESSION)}`], alice));
    for (const events of [passed, tagged]) expect(scopesOf(events, 'use-cache')).toEqual([scopeHash(alice.requester!)]);
  });

  it('unstable_cache: key parts are not users, the session as a key part is', () => {
    const call = (keyParts: unknown[], ctx: RequestContext): Facts => ({
      kind: 'unstable-cache',
      keyParts,
      tags: ['p1:dashboard-data'],
      revalidate: 60,
      t: t(),
      end: t(),
      ctx,
    });
    const events = record(call(['getData', 'a'], alice), call(['p1:fetchAPI', SESSION], alice), call(['p1:fetchAPI', SESSION], anonymous));
    expect(scopesOf(events, 'unstable-cache')).toEqual([undefined, scopeHash(alice.requester!), undefined]);
  });
});
