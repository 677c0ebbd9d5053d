// GET /snapshot?events=0: what a live client refreshes (the analysis), without the retained events.
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import { createPipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder } from '../../../src/recorder/recorder.js';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { raw } from './doubles.js';

let server: StreamServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe('/snapshot', () => {
  it('carries the events by default and only the analysis with ?events=0', async () => {
    const recorder = installRecorder();
    recorder.takePending();
    const pipeline = createPipeline({ recorder, analysis: createAnalyzer(), flushMs: 60_000 });
    const ctx = { requestKind: 'action' as const, requestId: 1, route: '/a', workUnit: 'request', phase: 'action' };
    recorder.record({
      kind: 'revalidate-call',
      api: 'revalidateTag',
      args: ['nobody-declares-this', 'max'],
      site: new Error('call site'),
      t: Date.now(),
      ctx,
    });
    recorder.record({ kind: 'revalidation-commit', handler: 'incremental', tags: ['nobody-declares-this'], t: Date.now(), ctx });
    pipeline.flush();
    server = await startStreamServer({ source: pipeline, port: 0 });
    const port = server.port!;
    const full = JSON.parse((await raw(port, '/snapshot')).body);
    const light = JSON.parse((await raw(port, '/snapshot?events=0')).body);
    pipeline.stop();
    expect(full.events.map((e: { type: string }) => e.type)).toEqual(['revalidate-call', 'revalidation-commit']);
    expect(light.events).toEqual([]);
    expect(light.findings.map((f: { kind: string }) => f.kind).sort()).toEqual(full.findings.map((f: { kind: string }) => f.kind).sort());
    expect(light.findings.length).toBeGreaterThan(0);
    expect(light.revalidations).toHaveLength(1);
  });
});
