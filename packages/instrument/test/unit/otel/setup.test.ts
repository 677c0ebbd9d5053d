// registerCacheScope's OTel side, in process, against the OTLP receiver: when cachescope starts the SDK
// (every protocol), when it uses the app's provider (never a second one), when it stays off, and what the
// hooks capture. A fake "Next request span" stands in for Next's spans.
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import { ATTR, SPAN_NAMES } from '../../../src/otel/attributes.js';
import { CacheScopeSpanProcessor, cacheScopeSpanProcessor } from '../../../src/otel/processor.js';
import { setupCacheScopeOtel } from '../../../src/otel/setup.js';
import { apiRegistry, otelState, type CacheScopeOtelOptions } from '../../../src/otel/state.js';
import { OUTSIDE_REQUESTS } from '../../../src/recorder/call-registry.js';
import type { FetchFacts, UnstableCacheFacts } from '../../../src/recorder/facts.js';
import { eventParents, now, RECORDER_SYMBOL } from '../../../src/recorder/global.js';
import { createPipeline, type Pipeline } from '../../../src/recorder/pipeline.js';
import { installRecorder, type Recorder } from '../../../src/recorder/recorder.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../support/otlp-receiver.js';

const require = createRequire(import.meta.url);
const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');

const SECRET = 'alice.5f2b9c0d1e3a4b6c';
const ENV_KEYS = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_SERVICE_NAME',
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_LOGS_EXPORTER',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'CACHESCOPE_OTEL',
  'NEXT_OTEL_FETCH_DISABLED',
];

let savedEnv: Record<string, string | undefined>;
let recorder: Recorder;
let pipeline: Pipeline;
let receiver: OtlpReceiver;
let logs: string[];
let appSdk: InstanceType<typeof NodeSDK> | undefined;

beforeEach(async () => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  process.env.OTEL_BSP_SCHEDULE_DELAY = '20';
  recorder = installRecorder();
  pipeline = createPipeline({ recorder, analysis: createAnalyzer() });
  receiver = await startOtlpReceiver({ grpc: true });
  logs = [];
});

afterEach(async () => {
  await otelState().shutdown?.();
  await appSdk?.shutdown();
  appSdk = undefined;
  pipeline.stop();
  await receiver.close();
  trace.disable();
  context.disable();
  propagation.disable();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('cachescope.otel')];
  delete (globalThis as Record<symbol, unknown>)[RECORDER_SYMBOL];
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

const setup = (option?: CacheScopeOtelOptions | false) =>
  setupCacheScopeOtel(option, { recorder, source: pipeline, log: (m) => logs.push(m) });

/** What Next does around a render: an active request span; inside it, an unstable_cache call the shim records. */
function requestWithCachedCall(name = 'GET /dashboard'): { traceId: string; spanId: string } {
  const tracer = trace.getTracer('next.js');
  return tracer.startActiveSpan(name, (span) => {
    const t = now() - 200;
    const facts: UnstableCacheFacts = {
      kind: 'unstable-cache',
      t,
      ctx: recorder.context(),
      keyParts: ['dashboard', SECRET],
      tags: ['dashboard-data'],
      revalidate: 60,
      lookup: { result: 'miss', key: `unstable_cache dashboard ${SECRET}`, tags: ['dashboard-data'], softTags: [] },
      stored: { key: `unstable_cache dashboard ${SECRET}`, tags: ['dashboard-data'] },
      end: t + 5,
    };
    recorder.record(facts);
    recorder.record({
      kind: 'revalidate-call',
      api: 'revalidateTag',
      args: ['nobody-has-this', 'max'],
      site: new Error('site'),
      t: t + 10,
      ctx: recorder.context(),
    });
    recorder.record({
      kind: 'revalidation-commit',
      handler: 'incremental',
      tags: ['nobody-has-this'],
      durations: {},
      t: t + 11,
      ctx: recorder.context(),
    });
    span.end();
    return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
  });
}

async function flushAll(): Promise<void> {
  pipeline.flush();
  await otelState().shutdown?.(); // ends the bridge and flushes the SDK cachescope started
}

function expectNested(spans: ReceivedSpan[], request: { traceId: string; spanId: string }) {
  const root = spans.find((s) => s.spanId === request.spanId)!;
  expect(root).toBeDefined();
  const call = spans.find((s) => s.name === SPAN_NAMES.unstableCache)!;
  expect(call).toBeDefined();
  expect(call.traceId).toBe(request.traceId);
  expect(call.parentSpanId).toBe(request.spanId);
  expect(call.attributes).toMatchObject({ [ATTR.decision]: 'miss', [ATTR.tags]: ['dashboard-data'] });
  const commit = spans.find((s) => s.name === SPAN_NAMES.revalidation)!;
  expect(commit.parentSpanId).toBe(request.spanId);
  expect(commit.attributes[ATTR.matchedCount]).toBe(0);
  expect(commit.events.map((e) => e.attributes[ATTR.findingKind])).toContain('noop-revalidation');
  expect(JSON.stringify(spans)).not.toContain(SECRET);
}

describe('cachescope starts the SDK when an OTLP endpoint is set and no provider exists', () => {
  it('http/protobuf by default; service.name from the app package.json; spans nest in the active request span', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.httpUrl;
    expect(await setup()).toBe('sdk');
    expect(logs.join('\n')).toContain(
      `exporting traces to ${receiver.httpUrl}/v1/traces (http/protobuf) as service "@cachescope/instrument"`,
    );
    const request = requestWithCachedCall();
    await flushAll();
    expect(receiver.errors).toEqual([]);
    expect(receiver.requests.every((r) => r.protocol === 'http/protobuf' && r.path === '/v1/traces')).toBe(true);
    expect(new Set(receiver.spans.map((s) => s.serviceName))).toEqual(new Set(['@cachescope/instrument']));
    expect(receiver.spans.find((s) => s.name === SPAN_NAMES.unstableCache)!.scope.name).toBe('@cachescope/instrument');
    expectNested(receiver.spans, request);
  });

  it('http/json with OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME as service.name', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.httpUrl;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_SERVICE_NAME = 'shop-frontend';
    expect(await setup()).toBe('sdk');
    const request = requestWithCachedCall();
    await flushAll();
    expect(receiver.errors).toEqual([]);
    expect(receiver.requests.map((r) => r.protocol)).toContain('http/json');
    expect(new Set(receiver.spans.map((s) => s.serviceName))).toEqual(new Set(['shop-frontend']));
    expectNested(receiver.spans, request);
  });

  it('grpc', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.grpcUrl!;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    expect(await setup()).toBe('sdk');
    const request = requestWithCachedCall();
    await flushAll();
    expect(receiver.errors).toEqual([]);
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((r) => r.protocol === 'grpc')).toBe(true);
    expectNested(receiver.spans, request);
  });

  it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given', async () => {
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `${receiver.httpUrl}/v1/traces`;
    expect(await setup()).toBe('sdk');
    requestWithCachedCall();
    await flushAll();
    expect(receiver.spans.some((s) => s.name === SPAN_NAMES.unstableCache)).toBe(true);
  });

  it('the option: endpoint (base URL), protocol and serviceName', async () => {
    expect(await setup({ endpoint: receiver.httpUrl, protocol: 'http/json', serviceName: 'from-option' })).toBe('sdk');
    requestWithCachedCall();
    await flushAll();
    expect(receiver.requests.map((r) => r.protocol)).toEqual(expect.arrayContaining(['http/json']));
    expect(new Set(receiver.spans.map((s) => s.serviceName))).toEqual(new Set(['from-option']));
  });

  it('says so once when the collector is not there', async () => {
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '300';
    const dead = `http://127.0.0.1:${await closedPort()}`;
    expect(await setup({ endpoint: dead })).toBe('sdk');
    requestWithCachedCall();
    pipeline.flush();
    requestWithCachedCall();
    pipeline.flush();
    await waitUntil(() => logs.some((l) => l.includes('OTLP export to')), 8_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(logs.filter((l) => l.includes('OTLP export to'))).toEqual([expect.stringContaining(`OTLP export to ${dead}/v1/traces failed`)]);
    // …and once as an internal error (overlay, snapshot), counting every failed batch
    pipeline.flush();
    const failures = recorder.faults.get('otel.export');
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(pipeline.snapshot().internalErrors).toEqual([
      {
        where: 'otel.export',
        message: expect.stringMatching(`^Error: OTLP export to ${dead}/v1/traces failed: .*ECONNREFUSED`),
        count: failures,
      },
    ]);
  }, 15_000);
});

describe('cachescope exports nothing and loads nothing', () => {
  it('without an endpoint or a provider: the hooks capture no span context', async () => {
    const before = recorder.context;
    expect(await setup()).toBeUndefined();
    expect(recorder.context).toBe(before);
    requestWithCachedCall();
    pipeline.flush();
    expect(pipeline.since(0).length).toBeGreaterThan(0);
    expect(eventParents().size).toBe(0);
    expect(apiRegistry()?.trace).toBeUndefined();
    expect(logs).toEqual([]);
    expect(otelState().activate).toBeTypeOf('function'); // a processor attached later can still turn it on
  });

  it('with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none (and says why)', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.httpUrl;
    process.env.OTEL_SDK_DISABLED = 'true';
    expect(await setup()).toBeUndefined();
    expect(logs.join('\n')).toContain('OTEL_SDK_DISABLED=true');
    delete process.env.OTEL_SDK_DISABLED;
    process.env.OTEL_TRACES_EXPORTER = 'none';
    expect(await setup()).toBeUndefined();
    expect(apiRegistry()?.trace).toBeUndefined();
  });

  it('with otel: false or CACHESCOPE_OTEL=0, even with an endpoint', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.httpUrl;
    expect(await setup(false)).toBeUndefined();
    process.env.CACHESCOPE_OTEL = '0';
    expect(await setup()).toBeUndefined();
    expect(apiRegistry()?.trace).toBeUndefined();
  });
});

describe("the app's own provider", () => {
  function startAppSdk(exporter: InMemorySpanExporter) {
    appSdk = new NodeSDK({
      serviceName: 'the-app',
      spanProcessors: [new SimpleSpanProcessor(exporter), cacheScopeSpanProcessor()],
      instrumentations: [],
      metricReaders: [],
      logRecordProcessors: [],
    });
    appSdk.start();
    return (apiRegistry()!.trace as { getDelegate(): unknown }).getDelegate();
  }

  it('is used, never replaced (even with an endpoint set): exactly one provider, spans arrive through it', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = startAppSdk(exporter);
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.httpUrl;
    expect(await setup()).toBe('app');
    expect((apiRegistry()!.trace as { getDelegate(): unknown }).getDelegate()).toBe(provider);
    expect(logs.join('\n')).toContain("using the app's tracer provider");
    expect(logs.join('\n')).not.toContain('exporting traces to');
    const request = requestWithCachedCall();
    pipeline.flush();
    await (provider as { forceFlush(): Promise<void> }).forceFlush();
    const spans = exporter.getFinishedSpans(); // (the SDK's shutdown() would clear them)
    const call = spans.find((s) => s.name === SPAN_NAMES.unstableCache)!;
    expect(call.parentSpanContext?.spanId).toBe(request.spanId);
    expect(call.resource.attributes['service.name']).toBe('the-app');
    expect(receiver.spans).toHaveLength(0);
  });

  it('registered after registerCacheScope: its cacheScopeSpanProcessor turns the spans on', async () => {
    expect(await setup()).toBeUndefined();
    const exporter = new InMemorySpanExporter();
    const provider = startAppSdk(exporter);
    await waitUntil(() => otelState().mode === 'app');
    const request = requestWithCachedCall();
    pipeline.flush();
    await (provider as { forceFlush(): Promise<void> }).forceFlush();
    const call = exporter.getFinishedSpans().find((s) => s.name === SPAN_NAMES.unstableCache);
    expect(call?.parentSpanContext?.spanId).toBe(request.spanId);
  });
});

describe('hook-time capture', () => {
  it('keeps the span context off the events, and hands each to the bridge once', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.httpUrl;
    await setup();
    const request = requestWithCachedCall();
    pipeline.flush();
    const events = pipeline.since(0);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(Object.getOwnPropertySymbols(e)).toEqual([]);
    expect(eventParents().size).toBe(0); // the bridge took them
    expect(JSON.stringify(events)).not.toContain(request.traceId);
    expect(JSON.stringify(pipeline.snapshot())).not.toContain(request.traceId);
  });

  it("copies Next's fetch report (AppRender.fetch span attributes) onto the running fetch call", () => {
    const processor = new CacheScopeSpanProcessor();
    const frame: FetchFacts = {
      kind: 'fetch',
      t: now() - 100,
      ctx: { requestId: 1, route: '/x', workUnit: 'request', phase: 'render', requestKind: 'page' },
      input: 'http://127.0.0.1:1/data',
      init: undefined,
      declaredCache: 'force-cache',
      declaredNext: undefined,
      originCalls: 0,
    };
    const nextFetchSpan = {
      attributes: {
        'next.span_type': 'AppRender.fetch',
        'http.url': 'http://127.0.0.1:1/data',
        'next.fetch.cache_status': 'hit',
        'next.fetch.cache_reason': 'cache: force-cache',
      },
    } as unknown as ReadableSpan;
    const otherCall = { ...frame, input: 'http://127.0.0.1:1/other' };
    recorder.calls.open(OUTSIDE_REQUESTS, otherCall);
    recorder.calls.open(OUTSIDE_REQUESTS, frame);
    // other spans: nothing
    processor.onEnd({
      attributes: { 'next.span_type': 'AppRender.getBodyResult', 'http.url': 'http://127.0.0.1:1/data' },
    } as unknown as ReadableSpan);
    expect(frame.next).toBeUndefined();
    // Next's fetch span: onto the running call of its URL, not the other one
    processor.onEnd(nextFetchSpan);
    expect(frame.next).toEqual({ status: 'hit', reason: 'cache: force-cache' });
    expect(otherCall.next).toBeUndefined();
    frame.end = frame.t + 3;
    frame.status = 200;
    frame.lookup = { result: 'hit', key: 'K', tags: [], softTags: [] };
    recorder.record(frame);
    pipeline.flush();
    const event = pipeline.since(0).find((e) => e.type === 'fetch')!;
    expect(event).toMatchObject({ nextStatus: 'hit', nextReason: 'cache: force-cache' });
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}
