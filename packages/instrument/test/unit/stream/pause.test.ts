// POST /pause and POST /resume: recording stops and starts again in the process that serves the stream.
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import { observeDynamicRead } from '../../../src/hooks/shims/dynamic-api.js';
import { getRecorder } from '../../../src/recorder/global.js';
import { createPipeline, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder } from '../../../src/recorder/recorder.js';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { memorySource, raw } from './doubles.js';

let server: StreamServer | undefined;
let pipeline: Pipeline | undefined;
afterEach(async () => {
  await server?.close();
  pipeline?.stop();
  installRecorder().paused = false;
});

function cookies(): void {
  observeDynamicRead('cookies', cookies);
}

describe('POST /pause, POST /resume', () => {
  it('stop the hooks recording, and start them again', async () => {
    const recorder = installRecorder();
    recorder.takePending();
    let requestId = 0;
    const saved = { context: recorder.context, work: recorder.work };
    recorder.context = () => ({ requestKind: 'page', requestId: ++requestId, route: '/r', workUnit: 'request', phase: 'render' });
    recorder.work = undefined;
    try {
      pipeline = createPipeline({ recorder, analysis: createAnalyzer(), flushMs: 60_000 });
      server = await startStreamServer({ source: pipeline, port: 0 });
      const port = server.port!;

      expect((await raw(port, '/pause', { method: 'POST' })).status).toBe(204);
      expect(getRecorder()).toBeUndefined();
      cookies();
      expect(recorder.takePending()).toEqual([]);

      expect((await raw(port, '/resume', { method: 'POST' })).status).toBe(204);
      expect(getRecorder()).toBe(recorder);
      cookies();
      expect(recorder.takePending().map((f) => f.kind)).toEqual(['dynamic-api']);
      expect((await raw(port, '/pause')).status).toBe(405);
    } finally {
      Object.assign(recorder, saved);
    }
  });

  it('a source that cannot pause answers 501', async () => {
    server = await startStreamServer({ source: memorySource(), port: 0 });
    expect((await raw(server.port!, '/pause', { method: 'POST' })).status).toBe(501);
  });
});
