// The pipeline keeps the events (a bounded ring, for SSE replay and snapshots); the analysis only analyses them.
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import type { CacheScopeEvent } from '../../../src/protocol/events.js';
import { createPipeline, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder } from '../../../src/recorder/recorder.js';
import { loadFixture } from '../../support/fixtures.js';

const T0 = 1_795_695_000_000;
const origin = { pid: 1 };
const pipelines: Pipeline[] = [];

function pipelineOf(capacity?: number): Pipeline {
  const recorder = installRecorder();
  recorder.takePending();
  const p = createPipeline({ recorder, analysis: createAnalyzer(), capacity, flushMs: 60_000 });
  pipelines.push(p);
  return p;
}

afterEach(() => {
  for (const p of pipelines.splice(0)) p.stop();
});

describe('the event ring', () => {
  it('retains the newest events for replay and counts the dropped', () => {
    const p = pipelineOf(3);
    p.ingest!(loadFixture('handmade-broken-pattern').events, origin);
    expect(p.since(8).map((e) => e.id)).toEqual([9, 10]);
    expect(p.snapshot().dropped).toBe(7);
  });

  it('clear() empties the events with the analysis view', () => {
    const p = pipelineOf();
    p.ingest!(loadFixture('handmade-broken-pattern').events, origin);
    p.clear();
    const s = p.snapshot();
    expect(s.events).toEqual([]);
    expect(s.findings).toEqual([]);
  });

  it('keeps a malformed event the analysis failed on, and counts the failure', () => {
    const p = pipelineOf();
    const bad = { id: 1, ts: T0, pid: 1, type: 'fetch', declared: {} } as unknown as CacheScopeEvent;
    p.ingest!([bad], origin);
    const s = p.snapshot();
    expect(s.events).toHaveLength(1);
    expect(s.internalErrors).toEqual([expect.objectContaining({ where: 'analysis:fetch', count: 1 })]);
  });
});
