// A user's own 'use cache' handler (next.config `cacheHandlers`) whose get() rejects: the rejection reaches
// Next (and so the app) untouched, and cachescope records the failed lookup, which becomes a `use-cache`
// event with decision `skip` and the handler's error, never a miss waiting for a set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import type { CacheScopeEvent, UseCacheEvent } from '../../../src/protocol/events.js';
import { trapUseCacheRegistry } from '../../../src/hooks/handlers/use-cache-registry.js';
import type { CacheIoFacts } from '../../../src/recorder/facts.js';
import { RECORDER_SYMBOL } from '../../../src/recorder/global.js';
import { createPipeline, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder, type Recorder } from '../../../src/recorder/recorder.js';
import { failedUseCacheCall } from '../../../src/recorder/use-cache-failure.js';

const MAP = Symbol.for('@next/cache-handlers-map');
const FUNCTION_ID = 'ab'.repeat(21);
const KEY = `["build-1","${FUNCTION_ID}",["alice.secret-session-123456"]]`;
const failure = new Error('my handler: get failed');

let recorder: Recorder;
let pipeline: Pipeline;

beforeEach(() => {
  recorder = installRecorder();
  pipeline = createPipeline({ recorder, analysis: createAnalyzer(), flushMs: 60_000 });
  trapUseCacheRegistry();
});

afterEach(() => {
  pipeline.stop();
  delete (globalThis as Record<symbol, unknown>)[RECORDER_SYMBOL];
});

/** What Next's initializeCacheHandlers + setCacheHandler('default', userHandler) do. */
function registerUserHandler(get: (key: string, softTags: string[]) => Promise<unknown>) {
  const handler = { get, set: async () => {}, refreshTags: async () => {}, getExpiration: async () => 0, updateTags: async () => {} };
  const map = new Map<string, unknown>();
  (globalThis as Record<symbol, unknown>)[MAP] = map;
  map.set('default', handler);
  return handler;
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("a user's 'use cache' handler whose get() rejects", () => {
  it('the very same rejection reaches Next, and the failed lookup is recorded as such', async () => {
    const handler = registerUserHandler(() => Promise.reject(failure));
    await expect(handler.get(KEY, ['_N_T_/pattern-2'])).rejects.toBe(failure);
    await settle();
    const facts = recorder.takePending() as CacheIoFacts[];
    expect(facts).toEqual([
      expect.objectContaining({
        kind: 'cache-get',
        handler: 'use-cache:default',
        entryKind: 'USE_CACHE',
        key: KEY,
        url: FUNCTION_ID,
        softTags: ['_N_T_/pattern-2'],
        failed: 'Error: my handler: get failed',
      }),
    ]);
    expect(facts[0]!.result).toBeUndefined(); // not a miss
    expect(recorder.faults.size).toBe(0); // the app's handler failed, not cachescope
  });

  it('a get() that throws synchronously still throws to Next, unchanged', async () => {
    const handler = registerUserHandler(() => {
      throw failure;
    });
    expect(() => handler.get(KEY, [])).toThrow(failure);
    await settle();
    expect(recorder.faults.get('use-cache.get')).toBeUndefined();
  });

  it('becomes a use-cache event: decision skip, the handler error (redacted), no miss, no cache-get', async () => {
    const handler = registerUserHandler(() => Promise.reject(new Error('my handler: get failed for session=alice.secret-session-123456')));
    await handler.get(KEY, []).catch(() => {});
    await settle();
    pipeline.flush();
    const events = pipeline.since(0) as CacheScopeEvent[];
    expect(events.map((e) => e.type)).toEqual(['use-cache']);
    const call = events[0] as UseCacheEvent;
    expect(call).toMatchObject({
      decision: 'skip',
      functionId: FUNCTION_ID,
      handlerKind: 'default',
      tags: [],
      error: expect.stringMatching(/^Error: my handler: get failed/),
      reason: expect.stringMatching(/'default' cache handler's get\(\) failed/),
    });
    expect(JSON.stringify(events)).not.toContain('secret-session-123456');
    expect(pipeline.snapshot().internalErrors).toEqual([]);
  });
});

describe('failedUseCacheCall', () => {
  it('turns the call finalize built into a skip with the reason and the error', () => {
    const call = {
      type: 'use-cache' as const,
      ts: 1,
      requestKind: 'page' as const,
      functionId: 'f',
      handlerKind: 'remote',
      tags: ['t'],
      decision: 'skip' as const,
      durationMs: 5,
    };
    expect(failedUseCacheCall(call, { handler: 'use-cache:remote', failed: 'TypeError: boom' })).toEqual({
      ...call,
      tags: [],
      durationMs: undefined,
      decision: 'skip',
      reason:
        "the 'remote' cache handler's get() failed, so the 'use cache' entry was neither read nor written (the app received the error)",
      error: 'TypeError: boom',
    });
  });
});
