// The bridge: events (with the span context captured at hook time) -> spans through a real SDK tracer,
// exported to memory. Parents, trace ids, times, finding events, revalidation links.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/analysis/analyzer.js';
import type { CacheScopeEvent } from '../../../src/protocol/events.js';
import { setEventParent } from '../../../src/recorder/global.js';
import { ATTR, FINDING_EVENT, SPAN_NAMES } from '../../../src/otel/attributes.js';
import { createBridge } from '../../../src/otel/bridge.js';
import { loadFixture } from '../../support/fixtures.js';

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');

/** One fake Next request span per request id: what the hooks would have captured. */
function requestSpans() {
  const spans = new Map<string, SpanContext>();
  return (requestId: string | undefined): SpanContext | undefined => {
    if (!requestId) return undefined;
    let sc = spans.get(requestId);
    if (!sc) {
      const n = spans.size + 1;
      sc = { traceId: hex(n, 32), spanId: hex(0xa000 + n, 16), traceFlags: 1 };
      spans.set(requestId, sc);
    }
    return sc;
  };
}

/** Feeds events through the analysis (as the pipeline does) and the bridge, in batches. */
function replay(
  events: CacheScopeEvent[],
  options: { batchSize?: number; byRequest?: boolean; batchIds?: number[][]; withParents?: boolean } = {},
) {
  const analyzer = createAnalyzer();
  const parentOf = requestSpans();
  const listeners: ((batch: readonly CacheScopeEvent[]) => void)[] = [];
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const pid = events[0]?.pid ?? process.pid;
  createBridge(
    {
      subscribe: (l) => {
        listeners.push(l);
        return () => {};
      },
      findings: () => analyzer.findings(),
    },
    provider.getTracer('test'),
    { pid },
  );
  const size = options.batchSize ?? 1;
  const ingested: CacheScopeEvent[] = [];
  const batches: CacheScopeEvent[][] = [];
  if (options.batchIds) {
    for (const ids of options.batchIds) batches.push(events.filter((e) => ids.includes(e.id)));
  } else if (options.byRequest) {
    // one flush per request: a call and its cache I/O always share a batch
    for (const e of events) {
      const last = batches.at(-1);
      if (last && last[0]!.requestId === e.requestId) last.push(e);
      else batches.push([e]);
    }
  } else {
    for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  }
  for (const slice of batches) {
    const batch = slice.map((e) => {
      const copy = structuredClone(e);
      const parent = options.withParents === false ? undefined : parentOf(e.requestId);
      if (parent) setEventParent(copy.id, parent);
      analyzer.ingest(copy);
      ingested.push(copy);
      return copy;
    });
    for (const l of listeners) l(batch);
  }
  const spans = exporter.getFinishedSpans();
  const byEvent = (id: number) => spans.find((s) => s.attributes[ATTR.eventId] === id);
  const findingsOn = (s: ReadableSpan | undefined) =>
    (s?.events ?? []).filter((e) => e.name === FINDING_EVENT).map((e) => e.attributes?.[ATTR.findingKind]);
  return { spans, byEvent, findingsOn, parentOf, analyzer, ingested };
}

describe('bridge: the broken pattern', () => {
  const events = loadFixture('handmade-broken-pattern').events;

  it('puts each cachescope span inside the request span captured for it (same trace, parent id)', () => {
    const { byEvent, parentOf } = replay(events);
    for (const [id, requestId] of [
      [2, 'r1'],
      [4, 'r2'],
      [5, 'r3'],
      [6, 'r3'],
      [10, 'r4'],
    ] as const) {
      const span = byEvent(id)!;
      expect(span, `event ${id}`).toBeDefined();
      expect(span.spanContext().traceId).toBe(parentOf(requestId)!.traceId);
      expect(span.parentSpanContext?.spanId).toBe(parentOf(requestId)!.spanId);
    }
  });

  it('uses the events’ own times', () => {
    const { byEvent } = replay(events);
    const fetch = events.find((e) => e.id === 2) as Extract<CacheScopeEvent, { type: 'fetch' }>;
    const span = byEvent(2)!;
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(span.startTime)).toBeCloseTo(fetch.ts, 3);
    expect(ms(span.endTime)).toBeCloseTo(fetch.ts + fetch.durationMs!, 3);
  });

  it('gives the no-op revalidation span its finding event; duplicate commits get no span', () => {
    const { spans, byEvent, findingsOn } = replay(events);
    const commit = byEvent(6)!;
    expect(commit.name).toBe(SPAN_NAMES.revalidation);
    expect(commit.attributes[ATTR.matchedCount]).toBe(0);
    expect(findingsOn(commit)).toContain('noop-revalidation');
    const noop = commit.events.find((e) => e.attributes?.[ATTR.findingKind] === 'noop-revalidation')!;
    expect(noop.attributes).toMatchObject({ [ATTR.findingSeverity]: 'error', [ATTR.findingTags]: ['dashboard-data'] });
    expect(String(noop.attributes?.[ATTR.findingMessage])).toContain('matched no live cache entry');
    expect(byEvent(7)).toBeUndefined();
    expect(byEvent(8)).toBeUndefined();
    expect(spans.filter((s) => s.name === SPAN_NAMES.revalidation)).toHaveLength(1);
  });

  it('puts the orphaned-tag finding on the fetch that dropped the tag, once per change', () => {
    const { byEvent, findingsOn } = replay(events);
    expect(findingsOn(byEvent(2))).toEqual(['orphaned-tag']);
    expect(findingsOn(byEvent(5))).toEqual([]); // revalidateTag('dashboard-data', 'max'): nothing deprecated
  });

  it('in one batch: every fetch that dropped the tag carries the finding; the no-op goes on the commit, not its call', () => {
    const { byEvent, findingsOn } = replay(events, { batchSize: events.length });
    expect(findingsOn(byEvent(2))).toEqual(['orphaned-tag']);
    expect(findingsOn(byEvent(4))).toEqual(['orphaned-tag']);
    expect(findingsOn(byEvent(6))).toContain('noop-revalidation');
    expect(findingsOn(byEvent(5))).not.toContain('noop-revalidation');
  });

  it('a fetch flushed together with a later no-op revalidation still carries its orphaned-tag event', () => {
    // r2's fetch settles (20 ms grace) while the action's revalidation is being recorded: one batch
    const { byEvent, findingsOn } = replay(events, {
      batchIds: [
        [1, 2],
        [3, 4, 5, 6, 7, 8],
        [9, 10],
      ],
    });
    expect(findingsOn(byEvent(4))).toEqual(['orphaned-tag']);
    expect(findingsOn(byEvent(6))).toEqual(expect.arrayContaining(['orphaned-tag', 'noop-revalidation']));
    expect(findingsOn(byEvent(5))).toEqual([]);
  });

  it('emits the same spans whatever the batching', () => {
    const one = replay(events, { batchSize: 1 })
      .spans.map((s) => s.name)
      .sort();
    const all = replay(events, { batchSize: events.length })
      .spans.map((s) => s.name)
      .sort();
    expect(all).toEqual(one);
  });

  it('starts a root span when no request span was captured', () => {
    const { byEvent } = replay(events, { withParents: false });
    expect(byEvent(2)!.parentSpanContext).toBeUndefined();
  });

  it('leaves events forwarded from another process to that process', () => {
    const foreign = events.map((e) => ({ ...e, pid: e.pid + 1 }));
    const analyzer = createAnalyzer();
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const bridge = createBridge({ subscribe: () => () => {}, findings: () => analyzer.findings() }, provider.getTracer('t'), {
      pid: events[0]!.pid,
    });
    bridge.onBatch(foreign.map((e) => analyzer.ingest(e)));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe('bridge: Pattern 1 (unstable_cache per user)', () => {
  const events = loadFixture('handmade-unstable-cache').events;

  it('links the revalidation to the span that created the entry it reached', () => {
    const { byEvent } = replay(events);
    const creator = byEvent(4)!; // the miss that wrote 0a0a…01
    const commit = byEvent(8)!;
    expect(commit.attributes[ATTR.matchedCount]).toBe(1);
    expect(commit.links).toHaveLength(1);
    expect(commit.links[0]!.context.spanId).toBe(creator.spanContext().spanId);
    expect(commit.links[0]!.context.traceId).toBe(creator.spanContext().traceId);
    expect(commit.links[0]!.attributes).toMatchObject({
      [ATTR.linkKind]: 'created-entry',
      [ATTR.key]: '0a0a0a0a0a0a0a01',
      [ATTR.linkTag]: 'dashboard-data:86f7e437faa5a7fc',
    });
  });

  it('links in the same batch too (writers are mapped before revalidations)', () => {
    const { byEvent } = replay(events, { batchSize: events.length });
    expect(byEvent(8)!.links[0]!.context.spanId).toBe(byEvent(4)!.spanContext().spanId);
  });

  it('puts findings on the span of the event that triggered them', () => {
    const { byEvent, findingsOn } = replay(events, { byRequest: true });
    // never-declared tag, typo: on the revalidation; the stale read after the SWR revalidation: on the
    // unstable_cache call whose cache read was stale (not on a separate span)
    expect(findingsOn(byEvent(14))).toEqual(expect.arrayContaining(['noop-revalidation', 'orphaned-tag']));
    expect(findingsOn(byEvent(16))).toEqual(expect.arrayContaining(['orphaned-tag']));
    expect(findingsOn(byEvent(11))).toContain('stale-after-revalidate');
  });

  it('carries a finding triggered by a read with no call in its batch on a `cachescope finding` span under the request', () => {
    const { spans, parentOf } = replay(events, { batchSize: 1 });
    const carrier = spans.find(
      (s) => s.name === SPAN_NAMES.finding && s.events.some((e) => e.attributes?.[ATTR.findingKind] === 'stale-after-revalidate'),
    )!;
    expect(carrier).toBeDefined();
    expect(carrier.attributes).toMatchObject({ [ATTR.eventId]: 10, [ATTR.eventType]: 'cache-get' });
    expect(carrier.parentSpanContext?.spanId).toBe(parentOf('r4')!.spanId);
  });

  it('keeps the call as the creator when its write is recorded apart, later in the same request', () => {
    // the write settles after the call was flushed: it arrives as its own cache-set, in a later batch
    const call = events.find((e) => e.id === 4)!;
    const lateSet = { ...events.find((e) => e.id === 3)!, id: 5, ts: call.ts + 30 };
    const stream = [events.find((e) => e.id === 1)!, events.find((e) => e.id === 2)!, { ...call, id: 3 }, lateSet].concat(
      events.filter((e) => e.id >= 7 && e.id <= 9).map((e) => ({ ...e, id: e.id - 1 })),
    );
    const { byEvent } = replay(stream as CacheScopeEvent[], { batchSize: 1 });
    expect(byEvent(7)!.links[0]!.context.spanId).toBe(byEvent(3)!.spanContext().spanId);
  });

  it('links an entry written without a call span (a page) to the span active when it was written', () => {
    const set = { ...events.find((e) => e.id === 3)!, kind: 'APP_PAGE' } as CacheScopeEvent;
    const withoutCall = events
      .filter((e) => e.id !== 4 && e.id !== 3)
      .concat([set])
      .sort((a, b) => a.id - b.id);
    const { byEvent, parentOf } = replay(withoutCall);
    const commit = byEvent(8)!;
    expect(commit.links[0]?.context.spanId).toBe(parentOf('r1')!.spanId);
  });
});

describe('bridge: a captured stream (golden-prod)', () => {
  const fixture = loadFixture('golden-prod');

  it('one span per call and per primary commit, every finding on some span, nothing outside cachescope.*', () => {
    const { spans, analyzer, ingested } = replay(fixture.events, { batchSize: 7 });
    const expected = ingested.filter(
      (e) =>
        ['fetch', 'unstable-cache', 'use-cache', 'revalidate-call'].includes(e.type) ||
        (e.type === 'revalidation-commit' && e.coalescedInto === undefined),
    ).length;
    const own = spans.filter((s) => s.name !== SPAN_NAMES.finding);
    expect(own.length).toBe(expected);
    const carried = new Set(spans.flatMap((s) => s.events.map((e) => e.attributes?.[ATTR.findingId])));
    for (const finding of analyzer.findings()) expect(carried, finding.id).toContain(finding.id);
    for (const s of spans) {
      expect(s.name).toMatch(/^cachescope /);
      for (const key of Object.keys(s.attributes)) expect(key).toMatch(/^cachescope\./);
    }
  });
});
