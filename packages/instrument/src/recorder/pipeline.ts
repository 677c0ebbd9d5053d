// recorder -> analysis -> stream: every flush (10 ms) takes the pending facts, turns them into events,
// numbers them, lets the analysis see them, keeps them in the bounded ring and wakes the stream.
// It is the StreamSource the stream server reads.
import { SCHEMA_VERSION, type CacheScopeEvent, type Finding, type InternalErrorSummary, type Snapshot } from '../protocol/events.js';
import { redactText } from '../analysis/redact.js';
import { RingBuffer } from '../analysis/ring-buffer.js';
import type { StreamSource } from '../stream/types.js';
import type { SpanContext } from '@opentelemetry/api';
import { createFinalizer, type TimedDraft } from './finalize.js';
import type { Facts } from './facts.js';
import { setEventParent, type Recorder } from './global.js';

export type AnalysisSink = {
  ingest(event: CacheScopeEvent): void;
  snapshot(events: CacheScopeEvent[], dropped: number): Snapshot;
  findings(): Finding[];
  clear(): void;
};

export type PipelineOptions = {
  recorder: Recorder;
  analysis: AnalysisSink;
  capacity?: number;
  flushMs?: number;
  /** Cluster mode: the label stamped on this instance's events (events from Redis keep their own). */
  instance?: string;
};

export type Pipeline = StreamSource & {
  /** Runs one flush now (tests, shutdown). */
  flush(): void;
  stop(): void;
  readonly dropped: number;
};

/**
 * The recorder reports a fault as an event only the first time per place (an OTLP endpoint that stays down
 * fails every batch); it counts the rest. A place with one summary gets the recorder's running count.
 */
function withFaultCounts(
  summaries: InternalErrorSummary[] | undefined,
  faults: ReadonlyMap<string, number>,
): InternalErrorSummary[] | undefined {
  if (!summaries?.length || !faults.size) return summaries;
  const perPlace = new Map<string, number>();
  for (const s of summaries) perPlace.set(s.where, (perPlace.get(s.where) ?? 0) + 1);
  return summaries.map((s) => {
    const counted = faults.get(s.where);
    return counted !== undefined && perPlace.get(s.where) === 1 && counted > s.count ? { ...s, count: counted } : s;
  });
}

export const DEFAULT_BUFFER_SIZE = 5_000;

/** Events the ring keeps: the option, else `CACHESCOPE_BUFFER_SIZE`, else 5,000 (anything but a positive integer is ignored). */
export function resolveBufferSize(option: number | undefined, env = process.env.CACHESCOPE_BUFFER_SIZE): number {
  for (const value of [option, env === undefined || env.trim() === '' ? undefined : Number(env)]) {
    if (Number.isInteger(value) && value! > 0) return value!;
  }
  return DEFAULT_BUFFER_SIZE;
}

export function createPipeline({ recorder, analysis, capacity = DEFAULT_BUFFER_SIZE, flushMs = 10, instance }: PipelineOptions): Pipeline {
  const finalizer = createFinalizer();
  const ring = new RingBuffer<CacheScopeEvent>(capacity);
  let lastId = 0;
  /** Facts not final yet (a call still running, reads still coming), each with when to look again. */
  let waiting: { facts: Facts; recheckAt: number }[] = [];
  const listeners = new Set<(batch: readonly CacheScopeEvent[]) => void>();

  function append(drafts: TimedDraft[], pid: number, parents?: Map<TimedDraft, SpanContext>): CacheScopeEvent[] {
    const appended: CacheScopeEvent[] = [];
    for (const draft of drafts) {
      // Drafts are fresh objects made for this flush: number them in place rather than copy them.
      const event = draft as unknown as CacheScopeEvent & { pid: number };
      event.id = ++lastId;
      event.pid = pid;
      if (instance !== undefined && event.instance === undefined) event.instance = instance;
      const parent = parents?.get(draft);
      if (parent) setEventParent(event.id, parent);
      try {
        analysis.ingest(event);
      } catch (error) {
        recorder.fault('analysis', error);
      }
      ring.push(event);
      appended.push(event);
    }
    return appended;
  }

  function notify(batch: CacheScopeEvent[]): void {
    if (!batch.length) return;
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch (error) {
        recorder.fault('stream.listener', error);
      }
    }
  }

  function flush(): void {
    const held = waiting;
    const arrived = recorder.takePending();
    if (!held.length && !arrived.length) return;
    waiting = [];
    const now = Date.now();
    const drafts: TimedDraft[] = [];
    // src/otel: the span that was active where the hook ran, for each event of that fact (only set while
    // spans are exported)
    let parents: Map<TimedDraft, SpanContext> | undefined;
    const consider = (f: Facts) => {
      try {
        const built = finalizer.build(f, now);
        if (built.recheckAt !== undefined) waiting.push({ facts: f, recheckAt: built.recheckAt });
        else {
          drafts.push(...built.events);
          if (f.ctx.span) {
            parents ??= new Map();
            for (const draft of built.events) parents.set(draft, f.ctx.span);
          }
        }
      } catch (error) {
        recorder.fault('finalize', error);
      }
    };
    for (const item of held) {
      if (item.recheckAt > now) waiting.push(item);
      else consider(item.facts);
    }
    for (const f of arrived) consider(f);
    // Calls settle out of order; the stream reads better in the order they started.
    drafts.sort((a, b) => a.ts - b.ts);
    notify(append(drafts, process.pid, parents));
  }

  const timer = setInterval(() => {
    try {
      flush();
    } catch (error) {
      recorder.fault('flush', error);
    }
  }, flushMs);
  timer.unref?.();

  return {
    flush,
    stop: () => clearInterval(timer),
    get dropped() {
      return ring.dropped;
    },
    since: (id) => ring.since(id),
    lastId: () => lastId,
    snapshot: (options) => {
      try {
        const snapshot = analysis.snapshot(options?.events === false ? [] : ring.toArray(), ring.dropped);
        snapshot.internalErrors = withFaultCounts(snapshot.internalErrors, recorder.faults);
        return snapshot;
      } catch (error) {
        // A bad event must not take the snapshot (and the overlay) down for good: serve the events.
        recorder.fault('snapshot', error);
        const message = redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
        return {
          schemaVersion: SCHEMA_VERSION,
          generatedAt: Date.now(),
          events: ring.toArray(),
          tags: [],
          revalidations: [],
          findings: [],
          dropped: ring.dropped,
          internalErrors: [{ where: 'snapshot', message, count: 1 }],
        };
      }
    },
    findings: () => analysis.findings(),
    setRecording(on) {
      recorder.paused = !on;
    },
    clear() {
      ring.clear();
      analysis.clear();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ingest(events, origin) {
      const drafts = events.map(({ id: _id, pid: _pid, ...rest }) => rest as TimedDraft);
      notify(append(drafts, origin.pid));
    },
  };
}
