// An OTLP endpoint that fails (refused, timed out, HTTP 500): every failed export result is counted as an
// `otel.export` fault, the log says it once, the span processor still gets its result, and nothing the
// exporter does (throwing included) reaches the app.
import { describe, expect, it } from 'vitest';
import { describeExportError, exportFault, watchExportFaults, type Exporter, type ExportResult } from '../../../src/otel/export-faults.js';

/** OTLPExporterError as @opentelemetry/otlp-exporter-base builds it for a non-retryable status. */
class OTLPExporterError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data: string,
  ) {
    super(message);
    this.name = 'OTLPExporterError';
  }
}

function refused(port = 4399): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED' });
}

function fakeExporter(answer: (spans: unknown[]) => ExportResult | 'throw'): Exporter & { seen: unknown[][] } {
  const seen: unknown[][] = [];
  return {
    seen,
    export(spans, done) {
      seen.push(spans);
      const result = answer(spans);
      if (result === 'throw') throw new Error('exporter blew up');
      setTimeout(() => done(result), 0);
    },
  };
}

function watched(exporter: Exporter, endpoint = 'http://127.0.0.1:4399/v1/traces') {
  const logs: string[] = [];
  const faults: Error[] = [];
  watchExportFaults(exporter, endpoint, { log: (m) => logs.push(m), fault: (e) => faults.push(e) }, (spans) =>
    spans.map((s) => `redacted ${String(s)}`),
  );
  const exportOnce = (spans: unknown[]) => new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  return { logs, faults, exportOnce };
}

describe('describeExportError', () => {
  it('says what went wrong without the response body', () => {
    expect(describeExportError(new OTLPExporterError('Internal Server Error', 500, 'secret body'))).toBe('HTTP 500 Internal Server Error');
    expect(describeExportError(refused())).toBe('connect ECONNREFUSED 127.0.0.1:4399');
    expect(describeExportError(new Error('Request timed out'))).toBe('Request timed out');
    expect(describeExportError(undefined)).toBe('unknown error');
  });

  it('names the endpoint and redacts what it carries', () => {
    const fault = exportFault(
      'https://user:pw-secret-123456@collector.example/v1/traces?api_key=key-secret-123456',
      new Error('Request timed out'),
    );
    expect(fault.message).toMatch(/^OTLP export to https:\/\/.*collector\.example\/v1\/traces.* failed: Request timed out$/);
    expect(fault.message).not.toContain('pw-secret-123456');
    expect(fault.message).not.toContain('key-secret-123456');
  });
});

describe('watchExportFaults', () => {
  it('HTTP 500 on every export: each failure counted, one log line, the processor gets every result', async () => {
    const exporter = fakeExporter(() => ({ code: 1, error: new OTLPExporterError('Internal Server Error', 500, '{"detail":"x"}') }));
    const { logs, faults, exportOnce } = watched(exporter);
    const results = [await exportOnce(['a']), await exportOnce(['b']), await exportOnce(['c'])];
    expect(results.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(faults.map((f) => f.message)).toEqual(
      Array(3).fill('OTLP export to http://127.0.0.1:4399/v1/traces failed: HTTP 500 Internal Server Error'),
    );
    expect(logs).toEqual([
      'OTLP export to http://127.0.0.1:4399/v1/traces failed: HTTP 500 Internal Server Error (reported once; is the collector running and reachable?)',
    ]);
    expect(exporter.seen).toEqual([['redacted a'], ['redacted b'], ['redacted c']]); // the transform still runs
  });

  it('success reports nothing', async () => {
    const { logs, faults, exportOnce } = watched(fakeExporter(() => ({ code: 0 })));
    expect((await exportOnce(['a'])).code).toBe(0);
    expect(logs).toEqual([]);
    expect(faults).toEqual([]);
  });

  it('a refused connection, then recovery, then a timeout: two faults, still one log line', async () => {
    const answers: ExportResult[] = [{ code: 1, error: refused() }, { code: 0 }, { code: 1, error: new Error('Request timed out') }];
    const { logs, faults, exportOnce } = watched(fakeExporter(() => answers.shift()!));
    for (let i = 0; i < 3; i++) await exportOnce([i]);
    expect(faults.map((f) => f.message)).toEqual([
      'OTLP export to http://127.0.0.1:4399/v1/traces failed: connect ECONNREFUSED 127.0.0.1:4399',
      'OTLP export to http://127.0.0.1:4399/v1/traces failed: Request timed out',
    ]);
    expect(logs).toHaveLength(1);
  });

  it('an exporter that throws becomes a failed result, not an exception', async () => {
    const { logs, faults, exportOnce } = watched(fakeExporter(() => 'throw'));
    const result = await exportOnce(['a']);
    expect(result.code).toBe(1);
    expect(result.error?.message).toBe('exporter blew up');
    expect(faults).toHaveLength(1);
    expect(logs).toHaveLength(1);
  });

  it('a failing log or fault sink does not fail the callback', async () => {
    const exporter = fakeExporter(() => ({ code: 1, error: refused() }));
    watchExportFaults(exporter, 'http://127.0.0.1:4399/v1/traces', {
      log: () => {
        throw new Error('log broke');
      },
      fault: () => {
        throw new Error('recorder broke');
      },
    });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(['a'], resolve));
    expect(result.code).toBe(1);
  });

  it('a result delivered twice reaches the processor once', async () => {
    const exporter: Exporter = {
      export(_spans, done) {
        done({ code: 1, error: refused() });
        done({ code: 1, error: refused() });
      },
    };
    const faults: Error[] = [];
    watchExportFaults(exporter, 'http://x/v1/traces', { log: () => {}, fault: (e) => faults.push(e) });
    let calls = 0;
    exporter.export([], () => calls++);
    expect(calls).toBe(1);
    expect(faults).toHaveLength(1);
  });
});
