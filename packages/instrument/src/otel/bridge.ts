// Events -> spans, at flush time. Each event has, beside it (recorder/global.ts eventParents), the span
// context that was active where its hook ran; its span is created after the fact with that parent and the event's
// own start/end times, so it lands inside Next's request span, in the same trace. Findings become span
// events on the span of the event that triggered them; a revalidation links to the spans that wrote the
// entries it reached.
import { SpanKind, SpanStatusCode, type Link, type SpanContext } from '@opentelemetry/api';
import type { CacheScopeEvent, Finding } from '../protocol/events.js';
import { instanceLabel } from '../cluster/instance.js';
import { eventParents } from '../recorder/global.js';
import { ATTR, FINDING_EVENT, SPAN_NAMES } from './attributes.js';
import { parentContext, type SpanStarter } from './api.js';
import { describeSpan, findingAttributes, type SpanSpec } from './spans.js';

/** Entry key -> the span that wrote it, for revalidation links (bounded, oldest out first). */
const MAX_CREATORS = 10_000;
/** Links per revalidation span (a broad one can reach thousands of entries). */
const MAX_LINKS = 32;

/** The events that are occurrences of a finding (its other evidence is context: the call of a commit). */
const OCCURRENCES: Partial<Record<Finding['kind'], readonly CacheScopeEvent['type'][]>> = {
  'orphaned-tag': ['fetch', 'unstable-cache', 'use-cache', 'revalidation-commit'],
  'noop-revalidation': ['revalidation-commit'],
  'broad-revalidation': ['revalidation-commit'],
  'stale-after-revalidate': ['fetch', 'unstable-cache', 'use-cache', 'cache-get'],
  'deprecated-revalidate-tag-single-arg': ['revalidate-call'],
  'dev-artefact': ['fetch'],
};

export type BridgeSource = {
  subscribe(listener: (batch: readonly CacheScopeEvent[]) => void): () => void;
  /** Current findings (the pipeline's analysis; typed loosely like the stream source's). */
  findings?(): readonly unknown[];
};

export type Bridge = {
  /** Maps one appended batch (what the pipeline's subscribe hands over). */
  onBatch(batch: readonly CacheScopeEvent[]): void;
  stop(): void;
};

export function createBridge(
  source: BridgeSource,
  tracer: SpanStarter,
  options: { pid?: number; onError?: (error: unknown) => void } = {},
): Bridge {
  const pid = options.pid ?? process.pid;
  const instance = instanceLabel();
  /** `call`: a cachescope call span wrote the entry; `active`: the span active at the write stands in. */
  const creators = new Map<string, { sc: SpanContext; by: 'call' | 'active' }>();
  /** Finding id -> `count|lastTs` last turned into a span event. */
  let seenFindings = new Map<string, string>();

  function remember(key: string, sc: SpanContext, by: 'call' | 'active'): void {
    const known = creators.get(key);
    // A write the hooks saw apart from its call (it settled later) does not replace the call's span;
    // a write in another request (the entry re-created since) does.
    if (by === 'active' && known?.by === 'call' && known.sc.traceId === sc.traceId) return;
    creators.delete(key);
    creators.set(key, { sc, by });
    if (creators.size > MAX_CREATORS) creators.delete(creators.keys().next().value as string);
  }

  /**
   * Findings new or changed since the last batch, by the id of the event whose span carries them: each
   * piece of evidence in the batch that is an occurrence of the finding (every fetch that dropped the
   * tag; the commit of a no-op revalidation, not also its call), else the newest evidence. A cache read
   * or write hands it to the call it belongs to (same request, same key, same batch: one fact).
   */
  function changedFindings(batch: readonly CacheScopeEvent[]): Map<number, Finding[]> | undefined {
    if (typeof source.findings !== 'function') return undefined;
    let changed: Finding[] | undefined;
    const next = new Map<string, string>();
    for (const finding of source.findings() as readonly Finding[]) {
      const signature = `${finding.count}|${finding.lastTs}`;
      next.set(finding.id, signature);
      if (seenFindings.get(finding.id) !== signature) {
        changed ??= [];
        changed.push(finding);
      }
    }
    seenFindings = next;
    if (!changed) return undefined;
    const inBatch = new Map<number, CacheScopeEvent>();
    for (const e of batch) if (e.pid === pid) inBatch.set(e.id, e);
    const byEvent = new Map<number, Finding[]>();
    for (const finding of changed) {
      const evidence = finding.evidence.filter((id) => inBatch.has(id));
      if (!evidence.length) continue;
      const kinds = OCCURRENCES[finding.kind];
      const occurrences = kinds ? evidence.filter((id) => kinds.includes(inBatch.get(id)!.type)) : [];
      const carriers = new Set((occurrences.length ? occurrences : [Math.max(...evidence)]).map((id) => callOwning(batch, id) ?? id));
      for (const carrier of carriers) {
        const list = byEvent.get(carrier) ?? [];
        list.push(finding);
        byEvent.set(carrier, list);
      }
    }
    return byEvent;
  }

  function callOwning(batch: readonly CacheScopeEvent[], id: number): number | undefined {
    const io = batch.find((e) => e.id === id);
    if (io?.type !== 'cache-get' && io?.type !== 'cache-set') return undefined;
    const call = batch.find(
      (e) =>
        (e.type === 'fetch' || e.type === 'unstable-cache' || e.type === 'use-cache') &&
        e.cacheKey === io.key &&
        e.requestId === io.requestId,
    );
    return call?.id;
  }

  function links(event: CacheScopeEvent): Link[] | undefined {
    if (event.type !== 'revalidation-commit' || !event.matched?.length) return undefined;
    const out: Link[] = [];
    for (const m of event.matched) {
      const sc = creators.get(m.key)?.sc;
      if (!sc) continue;
      out.push({ context: sc, attributes: { [ATTR.linkKind]: 'created-entry', [ATTR.key]: m.key, [ATTR.linkTag]: m.tag } });
      if (out.length >= MAX_LINKS) break;
    }
    return out.length ? out : undefined;
  }

  function emit(event: CacheScopeEvent, spec: SpanSpec, parent: SpanContext | undefined, findings: Finding[] | undefined): SpanContext {
    const span = tracer.startSpan(
      spec.name,
      { kind: SpanKind.INTERNAL, startTime: spec.start, attributes: spec.attributes, links: links(event), root: !parent },
      parentContext(parent),
    );
    for (const finding of findings ?? [])
      span.addEvent(FINDING_EVENT, findingAttributes(finding), Math.max(spec.start, Math.min(finding.lastTs, spec.end)));
    if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    span.end(spec.end);
    return span.spanContext();
  }

  function onBatch(batch: readonly CacheScopeEvent[]): void {
    const parents = eventParents();
    const findings = changedFindings(batch);
    // In order: a revalidation links to the entries' writers as of its own time.
    for (const event of batch) {
      // Events forwarded from another process are that process's to export.
      if (event.pid !== pid) continue;
      // Cluster mode: another instance's events (its pid may equal ours: pid 1 in every container) are its own to export.
      if (event.instance !== undefined && event.instance !== instance) continue;
      const id = event.id;
      const parent = parents.get(id);
      if (parent !== undefined) parents.delete(id);
      const spec = describeSpan(event);
      const triggered = findings?.get(id);
      if (spec) {
        const sc = emit(event, spec, parent, triggered);
        if (spec.creates) remember(spec.creates, sc, 'call');
        continue;
      }
      // An entry written with no call span of its own (a page, a route, an unclaimed fetch):
      // the span that was active when it was written stands for its creator.
      if (parent && event.type === 'cache-set') remember(event.key, parent, 'active');
      if (triggered && parent) {
        emit(
          event,
          { name: SPAN_NAMES.finding, start: event.ts, end: event.ts, attributes: { [ATTR.eventId]: id, [ATTR.eventType]: event.type } },
          parent,
          triggered,
        );
      }
    }
  }

  const unsubscribe = source.subscribe((batch) => {
    try {
      onBatch(batch);
    } catch (error) {
      // tracing must never break recording; the next batch starts clean
      options.onError?.(error);
    }
  });
  return { onBatch, stop: unsubscribe };
}
