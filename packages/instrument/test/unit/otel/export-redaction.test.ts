// The NodeSDK cachescope starts (an OTLP endpoint set, no provider of the app's) exports Next's own
// spans too, and those carry request and fetch URLs as they came. Found by test/safety/privacy.test.ts:
// `http.target: /broken?token=<secret>` left the process in clear. Everything exported is redacted.
import { describe, expect, it } from 'vitest';
import { redacted } from '../../../src/analysis/redact.js';
import { redactForExport } from '../../../src/otel/sdk.js';

class FakeSpan {
  name = 'fetch GET http://api.internal/x?token=tok-secret-123456';
  attributes: Record<string, unknown> = {
    'next.span_type': 'BaseServer.handleRequest',
    'http.target': '/broken?token=tok-secret-123456&page=2',
    'http.url': 'http://api.internal/x?api_key=key-secret-123456',
    'http.status_code': 200,
    'cachescope.tags': ['a', 'Bearer bear-secret-123456'],
  };
  events = [{ name: 'exception', attributes: { 'exception.message': 'fetch failed: http://u:pw-secret-123456@h/x' }, time: [1, 2] }];
  status = { code: 2, message: 'GET http://h/?session=sess-secret-123456 failed' };
  private readonly ctx = { traceId: 't', spanId: 's' };
  spanContext() {
    return this.ctx;
  }
}

describe('spans exported by the SDK cachescope starts', () => {
  it('carry no secret in clear, and keep everything else', () => {
    const out = redactForExport(new FakeSpan())!;
    const text = JSON.stringify({ name: out.name, attributes: out.attributes, events: out.events, status: out.status });
    for (const secret of ['tok-secret-123456', 'key-secret-123456', 'bear-secret-123456', 'pw-secret-123456', 'sess-secret-123456']) {
      expect(text).not.toContain(secret);
    }
    expect(out.attributes['http.target']).toBe(`/broken?token=${redacted('tok-secret-123456')}&page=2`);
    expect(out.attributes['http.status_code']).toBe(200);
    expect(out.attributes['next.span_type']).toBe('BaseServer.handleRequest');
    expect(out.spanContext()).toEqual({ traceId: 't', spanId: 's' }); // the rest of the span is the original
    expect(out.events[0]).toMatchObject({ name: 'exception', time: [1, 2] });
  });

  it('leaves a span without secrets as it was', () => {
    const span = new FakeSpan();
    span.name = 'GET /pattern-1';
    span.attributes = { 'http.target': '/pattern-1', 'next.route': '/pattern-1' };
    span.events = [];
    span.status = { code: 0, message: '' };
    const out = redactForExport(span)!;
    expect(out.name).toBe('GET /pattern-1');
    expect(out.attributes).toEqual(span.attributes);
  });
});
