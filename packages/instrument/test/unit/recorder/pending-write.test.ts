// A fetch Next stores outside a prerender is written after it returned (issue 12 defect 1): the recorder
// holds the call while Next's write is in flight, and reports what the write did, however late it lands.
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import type { FetchEvent } from '../../../src/protocol/events.js';
import type { FetchFacts, RequestContext } from '../../../src/recorder/facts.js';
import { createPipeline, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder } from '../../../src/recorder/recorder.js';

const ctx: RequestContext = { requestKind: 'route-handler', requestId: 1, route: '/shapes/route', workUnit: 'request', phase: 'action' };
const pipelines: Pipeline[] = [];

afterEach(() => {
  for (const p of pipelines.splice(0)) p.stop();
});

function call(writing: boolean): FetchFacts {
  const t = Date.now() - 1_000; // settled long ago: only the write can hold it
  return {
    kind: 'fetch',
    t,
    end: t + 5,
    status: 200,
    ctx,
    input: 'http://origin.test/data',
    init: { method: 'GET' },
    declaredCache: 'force-cache',
    declaredNext: { tags: ['t'] },
    originCalls: 1,
    lookup: { result: 'miss', key: 'k', tags: ['t'], softTags: [] },
    writing,
  };
}

/** A pipeline that has seen one call whose write is in flight, flushed once. */
function recordWriting() {
  const recorder = installRecorder();
  recorder.takePending();
  const p = createPipeline({ recorder, analysis: createAnalyzer(), flushMs: 60_000 });
  pipelines.push(p);
  const frame = call(true);
  recorder.record(frame);
  p.flush();
  return { p, frame };
}

describe('a fetch whose cache write is still in flight', () => {
  it('is held until the write lands, then reported stored with its tags attached', () => {
    const { p, frame } = recordWriting();
    expect(p.snapshot().events.filter((e) => e.type === 'fetch')).toEqual([]);

    frame.stored = { key: 'k', tags: ['t'], revalidate: 31536000 };
    frame.writing = false;
    p.flush();
    const fetch = p.snapshot().events.find((e): e is FetchEvent => e.type === 'fetch')!;
    expect(fetch).toMatchObject({ decision: 'miss', reasonCode: 'cold-miss', tagsAttached: ['t'], tagsDropped: [] });
    expect(p.snapshot().findings.filter((f) => f.kind === 'orphaned-tag')).toEqual([]);
  });

  it('is reported not stored once a write that stored nothing settled', () => {
    const { p, frame } = recordWriting();
    frame.writing = false;
    p.flush();
    expect(p.snapshot().events.find((e): e is FetchEvent => e.type === 'fetch')).toMatchObject({
      decision: 'miss',
      reasonCode: 'not-stored',
    });
  });
});
