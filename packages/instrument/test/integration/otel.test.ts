// cachescope's OpenTelemetry export against the real demo: `next start` and `next dev` with
// OTEL_EXPORTER_OTLP_ENDPOINT pointed at an in-test OTLP receiver that decodes with the official proto
// definitions. The trace structure a user sees in Jaeger is asserted span by span: Next's request root
// span -> render -> cachescope spans (same trace, right parent ids), the no-op revalidation's finding
// event, the revalidation's link to the span that wrote the entry it reached, service.name, and no secret.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  freshSession,
  getPage,
  postActionById,
  resolveActionId,
  startDemo,
  type DemoMode,
  type DemoServer,
} from '@cachescope/harness';
import { ATTR, FINDING_EVENT, SPAN_NAMES } from '../../src/otel/attributes.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { userTagSuffix } from './scenario.js';

const SPAN_KIND_SERVER = 2;
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');

type Setup = {
  /** Names the server log kept in test-artifacts/. */
  label: string;
  mode: DemoMode;
  env?: Record<string, string>;
};

type Run = { demo: DemoServer; receiver: OtlpReceiver };

function useOtelDemo({ label, mode, env = {} }: Setup): () => Run {
  let run: Run | undefined;
  beforeAll(async () => {
    const receiver = await startOtlpReceiver();
    try {
      const demo = await startDemo({
        mode,
        // own dist dirs: other suites build and run the demo concurrently
        distDir: mode === 'prod' ? '.next-otel' : '.next-otel-dev',
        env: {
          CACHESCOPE_ENABLED: '1',
          CACHESCOPE_PORT: String(await freePort()),
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
          OTEL_BSP_SCHEDULE_DELAY: '100',
          ...env,
        },
      });
      run = { demo, receiver };
    } catch (error) {
      await receiver.close();
      throw error;
    }
  }, 600_000);
  afterAll(async () => {
    if (run) {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, `otel-${label}.log`), run.demo.logs());
      writeFileSync(join(ARTIFACTS, `otel-${label}-spans.json`), JSON.stringify(run.receiver.spans, null, 1));
    }
    await run?.demo.stop();
    await run?.receiver.close();
  });
  return () => {
    if (!run) throw new Error('demo not started (beforeAll failed?)');
    return run;
  };
}

// ─── trace helpers ───

function index(spans: ReceivedSpan[]) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
  const chain = (s: ReceivedSpan): ReceivedSpan[] => {
    const out = [s];
    for (let p = parentOf(s); p; p = parentOf(p)) out.push(p);
    return out;
  };
  return { byId, parentOf, chain, rootOf: (s: ReceivedSpan) => chain(s).at(-1)! };
}

/** The traces whose root is Next's `<method> <route>` request span, started at or after `sinceMs`. */
function requestTraces(spans: ReceivedSpan[], method: string, route: string, sinceMs = 0) {
  const roots = spans.filter((s) => s.name === `${method} ${route}` && !s.parentSpanId && s.startMs >= sinceMs);
  return roots.map((root) => ({ root, spans: spans.filter((s) => s.traceId === root.traceId) }));
}

/** Every cachescope span sits in a complete chain up to Next's request span (no dangling parent). */
function expectInsideNextRequest(span: ReceivedSpan, spans: ReceivedSpan[], method: string, route: string) {
  const { chain, parentOf } = index(spans);
  const path = chain(span);
  const root = path.at(-1)!;
  expect(root.parentSpanId, `${span.name}: dangling parent ${root.spanId}`).toBe('');
  expect(root.name).toBe(`${method} ${route}`);
  expect(root.kind).toBe(SPAN_KIND_SERVER);
  expect(root.attributes['next.span_type']).toBe('BaseServer.handleRequest');
  for (const s of path) expect(s.traceId).toBe(root.traceId);
  expect(span.kind).toBe(1); // INTERNAL
  return { root, parent: parentOf(span)! };
}

const cachescopeSpans = (spans: ReceivedSpan[], name?: string) =>
  spans.filter((s) => (name ? s.name === name : s.name.startsWith('cachescope ')));
const findingKinds = (s: ReceivedSpan) => s.events.filter((e) => e.name === FINDING_EVENT).map((e) => e.attributes[ATTR.findingKind]);

function expectNoSecret(spans: ReceivedSpan[], cookie: string) {
  const value = cookie.replace(/^session=/, '');
  const token = value.split('.')[1]!;
  const everything = JSON.stringify(spans);
  expect(everything).not.toContain(value);
  expect(everything).not.toContain(token);
}

// ─── scenarios ───

async function brokenPatternAndRefresh({ demo, receiver }: Run) {
  const alice = freshSession('alice');
  const actionId = await resolveActionId(demo.baseUrl, '/broken', 'refresh-mine', freshSession('carol'));
  // Spans of one trace arrive in several exports: keep them all, select this scenario's traces by time.
  const since = Date.now();
  await getPage(demo.baseUrl, '/broken', alice);
  await postActionById(demo.baseUrl, '/broken', actionId, alice);
  await getPage(demo.baseUrl, '/broken', alice); // the refresh: still a skip, still a backend hit
  const spans = await receiver.waitFor(
    (all) => {
      const gets = requestTraces(all, 'GET', '/broken', since).filter((t) => cachescopeSpans(t.spans, SPAN_NAMES.fetch).length > 0);
      const posts = requestTraces(all, 'POST', '/broken', since).filter(
        (t) => cachescopeSpans(t.spans, SPAN_NAMES.revalidation).length > 0,
      );
      return gets.length >= 2 && posts.length >= 1 && all;
    },
    { what: 'the broken pattern traces' },
  );
  return { spans, alice, since };
}

async function patternOne({ demo, receiver }: Run) {
  const alice = freshSession('alice');
  const aliceTag = `p1:dashboard-data:${userTagSuffix(alice)}`;
  // resolved as another user: alice's first GET below must be the miss that writes her entry
  const actionId = await resolveActionId(demo.baseUrl, '/pattern-1', 'refresh-mine', freshSession('carol'));
  await getPage(demo.baseUrl, '/pattern-1', alice);
  await getPage(demo.baseUrl, '/pattern-1', alice);
  await postActionById(demo.baseUrl, '/pattern-1', actionId, alice);
  const spans = await receiver.waitFor(
    (all) => {
      const mine = (s: ReceivedSpan) => (s.attributes[ATTR.tags] as string[]).includes(aliceTag);
      const calls = cachescopeSpans(all, SPAN_NAMES.unstableCache)
        .filter(mine)
        .map((s) => s.attributes[ATTR.decision]);
      const commits = cachescopeSpans(all, SPAN_NAMES.revalidation).filter(mine);
      return calls.includes('miss') && calls.includes('hit') && commits.length > 0 && all;
    },
    { what: 'the pattern-1 traces' },
  );
  return { spans, alice };
}

function assertBrokenPattern(spans: ReceivedSpan[], alice: string, since: number, options: { nextFetchSpans: boolean }) {
  // GET /broken: GET /broken (SERVER) -> render route (app) /broken -> cachescope fetch
  const gets = requestTraces(spans, 'GET', '/broken', since).filter((t) => cachescopeSpans(t.spans, SPAN_NAMES.fetch).length > 0);
  expect(gets.length).toBeGreaterThanOrEqual(2);
  for (const trace of gets) {
    const fetches = cachescopeSpans(trace.spans, SPAN_NAMES.fetch).filter((s) => s.attributes[ATTR.decision] !== 'deduped');
    expect(fetches).toHaveLength(1);
    const fetch = fetches[0]!;
    const { parent } = expectInsideNextRequest(fetch, spans, 'GET', '/broken');
    expect(parent.name).toBe('render route (app) /broken');
    expect(parent.attributes['next.span_type']).toBe('AppRender.getBodyResult');
    expect(fetch.attributes).toMatchObject({
      [ATTR.decision]: 'skip',
      [ATTR.reasonCode]: 'auto-no-cache',
      [ATTR.route]: '/broken',
      [ATTR.fetchMethod]: 'POST',
      [ATTR.tagsDeclared]: ['dashboard-data'],
      [ATTR.tagsDropped]: ['dashboard-data'],
      [ATTR.fetchForwarded]: ['cookie'],
    });
    expect(fetch.attributes).not.toHaveProperty(ATTR.tagsAttached); // none reached a cache
    expect(String(fetch.attributes[ATTR.reason])).toContain('no cache option');
    expect(fetch.attributes[ATTR.scope]).toMatch(/^[0-9a-f]{16}$/);
    expect(fetch.endMs).toBeGreaterThanOrEqual(fetch.startMs);
    expect(findingKinds(fetch)).toContain('orphaned-tag');
    const nextFetch = trace.spans.filter((s) => s.attributes['next.span_type'] === 'AppRender.fetch');
    if (options.nextFetchSpans) {
      // 16.3+: Next reports its own status; cachescope copies it next to its corrected decision
      expect(nextFetch.some((s) => s.attributes['next.fetch.cache_status'] === 'skip')).toBe(true);
      expect(fetch.attributes).toMatchObject({ [ATTR.nextCacheStatus]: 'skip', [ATTR.nextCacheReason]: 'auto no cache' });
    } else {
      expect(nextFetch).toEqual([]);
      expect(fetch.attributes).not.toHaveProperty(ATTR.nextCacheStatus);
    }
  }

  // POST /broken (the Server Action): the call and the no-op commit, both right under the request span
  const post = requestTraces(spans, 'POST', '/broken', since).find((t) => cachescopeSpans(t.spans, SPAN_NAMES.revalidation).length > 0)!;
  const call = cachescopeSpans(post.spans, SPAN_NAMES.revalidateTag)[0]!;
  expect(call).toBeDefined();
  expect(expectInsideNextRequest(call, spans, 'POST', '/broken').parent.spanId).toBe(post.root.spanId);
  expect(call.attributes).toMatchObject({
    [ATTR.revalidateApi]: 'revalidateTag',
    [ATTR.revalidateArgs]: ['dashboard-data', 'max'],
    [ATTR.tags]: ['dashboard-data'],
    [ATTR.revalidateProfile]: 'max',
    [ATTR.requestKind]: 'action',
  });
  const commits = cachescopeSpans(post.spans, SPAN_NAMES.revalidation);
  expect(commits).toHaveLength(1); // one logical revalidation, however many handlers received it
  const commit = commits[0]!;
  expect(expectInsideNextRequest(commit, spans, 'POST', '/broken').parent.spanId).toBe(post.root.spanId);
  expect(commit.attributes).toMatchObject({
    [ATTR.tags]: ['dashboard-data'],
    [ATTR.matchedCount]: 0,
    [ATTR.mode]: 'stale-while-revalidate',
  });
  expect(commit.links).toEqual([]);
  const noop = commit.events.find((e) => e.name === FINDING_EVENT && e.attributes[ATTR.findingKind] === 'noop-revalidation')!;
  expect(noop).toBeDefined();
  expect(noop.attributes).toMatchObject({
    [ATTR.findingId]: 'noop-revalidation:revalidateTag:dashboard-data',
    [ATTR.findingSeverity]: 'error',
    [ATTR.findingTags]: ['dashboard-data'],
    [ATTR.findingFixPattern]: 'pattern-1',
  });
  expect(String(noop.attributes[ATTR.findingMessage])).toContain('matched no live cache entry');
  expect(noop.timeMs).toBeGreaterThanOrEqual(commit.startMs);

  expectNoSecret(spans, alice);
}

function assertPatternOne(spans: ReceivedSpan[], alice: string) {
  const aliceTag = `p1:dashboard-data:${userTagSuffix(alice)}`;
  const calls = cachescopeSpans(spans, SPAN_NAMES.unstableCache).filter(
    (s) => s.attributes[ATTR.decision] !== 'deduped' && (s.attributes[ATTR.tags] as string[]).includes(aliceTag),
  );
  const miss = calls.find((s) => s.attributes[ATTR.decision] === 'miss')!;
  const hit = calls.find((s) => s.attributes[ATTR.decision] === 'hit')!;
  for (const call of [miss, hit]) {
    const { parent } = expectInsideNextRequest(call, spans, 'GET', '/pattern-1');
    expect(parent.name).toBe('render route (app) /pattern-1');
    expect(call.attributes[ATTR.tags]).toEqual(['p1:dashboard-data', aliceTag]);
    expect(call.attributes[ATTR.key]).toMatch(/^[0-9a-f]{16}$/);
  }
  expect(miss.traceId).not.toBe(hit.traceId); // two requests, two traces
  expect(hit.attributes[ATTR.key]).toBe(miss.attributes[ATTR.key]);

  const commit = cachescopeSpans(spans, SPAN_NAMES.revalidation).find((s) => (s.attributes[ATTR.tags] as string[]).includes(aliceTag))!;
  expect(expectInsideNextRequest(commit, spans, 'POST', '/pattern-1').parent.parentSpanId).toBe('');
  expect(commit.attributes).toMatchObject({
    [ATTR.matchedCount]: 1,
    [ATTR.matchedKeys]: [miss.attributes[ATTR.key]],
    [ATTR.matchedKinds]: ['UNSTABLE_CACHE'],
    [ATTR.mode]: 'stale-while-revalidate',
  });
  expect(findingKinds(commit)).not.toContain('noop-revalidation');
  // the link to the span that wrote the entry (in the earlier GET's trace)
  expect(commit.links).toHaveLength(1);
  expect(commit.links[0]).toMatchObject({
    traceId: miss.traceId,
    spanId: miss.spanId,
    attributes: { [ATTR.linkKind]: 'created-entry', [ATTR.key]: miss.attributes[ATTR.key], [ATTR.linkTag]: aliceTag },
  });
  const call = cachescopeSpans(spans, SPAN_NAMES.revalidateTag).find((s) => s.traceId === commit.traceId)!;
  expect(call.attributes[ATTR.tags]).toEqual([aliceTag]);

  expectNoSecret(spans, alice);
}

// ─── the suites ───

describe('next start, no tracer provider in the app: cachescope starts the SDK (OTLP http/protobuf)', () => {
  const run = useOtelDemo({ label: 'start-sdk', mode: 'prod' });

  it('says where it exports, once', () => {
    const logs = run().demo.logs();
    expect(logs).toContain(
      `OpenTelemetry: exporting traces to ${run().receiver.httpUrl}/v1/traces (http/protobuf) as service "cachescope-demo"`,
    );
  });

  it('broken pattern + refresh: skip fetches inside the render span, the no-op revalidation carries its finding', async () => {
    const { spans, alice, since } = await brokenPatternAndRefresh(run());
    assertBrokenPattern(spans, alice, since, { nextFetchSpans: true });
    expect(run().receiver.requests.every((r) => r.protocol === 'http/protobuf')).toBe(true);
  });

  it('pattern 1: miss then hit, and the revalidation links to the span that wrote the entry it reached', async () => {
    const { spans, alice } = await patternOne(run());
    assertPatternOne(spans, alice);
  });

  it('service.name is the app package name, on Next’s spans and cachescope’s alike (one resource)', () => {
    const spans = run().receiver.spans;
    expect(new Set(spans.map((s) => s.serviceName))).toEqual(new Set(['cachescope-demo']));
    expect(new Set(spans.map((s) => s.scope.name))).toEqual(new Set(['next.js', '@cachescope/instrument']));
    // one instance of the app: its label (CACHESCOPE_INSTANCE, else host:pid) as the resource's service.instance.id
    const instances = new Set(spans.map((s) => s.resource['service.instance.id']));
    expect(instances.size).toBe(1);
    expect(String([...instances][0])).toMatch(new RegExp(`^${hostname()}:\\d+$`));
    expect(run().receiver.errors).toEqual([]);
  });
});

describe("next start with the app's own NodeSDK (DEMO_OTEL=app) and Next's fetch spans off (NEXT_OTEL_FETCH_DISABLED=1, as @vercel/otel does)", () => {
  const run = useOtelDemo({ label: 'start-app-provider', mode: 'prod', env: { DEMO_OTEL: 'app', NEXT_OTEL_FETCH_DISABLED: '1' } });

  it("exactly one provider: the app's; cachescope starts no SDK of its own", () => {
    const logs = run().demo.logs();
    expect(logs).toContain("[demo-otel] tracer provider after cachescope: the app's own (one provider)");
    expect(logs).toContain("cachescope: OpenTelemetry: using the app's tracer provider");
    expect(logs).not.toContain('exporting traces to');
    expect(logs).toContain('NEXT_OTEL_FETCH_DISABLED=1');
  });

  it('spans still arrive, through the app’s provider, with the same trace structure', async () => {
    const { spans, alice, since } = await brokenPatternAndRefresh(run());
    assertBrokenPattern(spans, alice, since, { nextFetchSpans: false });
    const all = run().receiver.spans;
    expect(new Set(all.map((s) => s.serviceName))).toEqual(new Set(['cachescope-demo-app-sdk']));
    expect(cachescopeSpans(all).every((s) => s.scope.name === '@cachescope/instrument')).toBe(true);
    // each span exported once (a second provider would duplicate or split them)
    expect(new Set(all.map((s) => s.spanId)).size).toBe(all.length);
  });

  it('pattern 1 through the app’s provider', async () => {
    const { spans, alice } = await patternOne(run());
    assertPatternOne(spans, alice);
  });
});

describe('next dev: cachescope starts the SDK (OTLP http/json)', () => {
  const run = useOtelDemo({
    label: 'dev-sdk',
    mode: 'dev',
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'cachescope-demo-dev' },
  });

  it('broken pattern + refresh', async () => {
    const { spans, alice, since } = await brokenPatternAndRefresh(run());
    assertBrokenPattern(spans, alice, since, { nextFetchSpans: true });
    expect(run().receiver.requests.every((r) => r.protocol === 'http/json')).toBe(true);
  });

  it('pattern 1', async () => {
    const { spans, alice } = await patternOne(run());
    assertPatternOne(spans, alice);
  });

  it('service.name from OTEL_SERVICE_NAME', () => {
    expect(new Set(run().receiver.spans.map((s) => s.serviceName))).toEqual(new Set(['cachescope-demo-dev']));
    expect(run().demo.logs()).toContain('(http/json) as service "cachescope-demo-dev"');
    expect(run().receiver.errors).toEqual([]);
  });
});
