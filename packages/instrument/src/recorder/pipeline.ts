// recorder -> analysis -> stream: every flush (20 ms) takes the pending facts, turns them into events,
// numbers them, lets the analysis see them, keeps them in the bounded ring and wakes the stream.
// It is the StreamSource the stream server reads.
import type { CacheScopeEvent, Finding, Snapshot } from '../core/events.js';
import { RingBuffer } from '../core/ring-buffer.js';
import type { StreamSource } from '../transport/types.js';
import { createFinalizer, type TimedDraft } from './finalize.js';
import type { Facts } from './facts.js';
import type { Recorder } from './global.js';

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
};

export type Pipeline = StreamSource & {
  /** Runs one flush now (tests, shutdown). */
  flush(): void;
  stop(): void;
  readonly dropped: number;
};

export function createPipeline({ recorder, analysis, capacity = 5_000, flushMs = 20 }: PipelineOptions): Pipeline {
  const finalizer = createFinalizer();
  let ring = new RingBuffer<CacheScopeEvent>(capacity);
  let lastId = 0;
  let waiting: Facts[] = [];
  const listeners = new Set<(batch: readonly CacheScopeEvent[]) => void>();

  function append(drafts: TimedDraft[], pid: number): CacheScopeEvent[] {
    const appended: CacheScopeEvent[] = [];
    for (const draft of drafts) {
      const event = { ...draft, id: ++lastId, pid } as CacheScopeEvent;
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
    const facts = waiting.concat(recorder.takePending());
    waiting = [];
    if (!facts.length) return;
    const now = Date.now();
    const drafts: TimedDraft[] = [];
    for (const f of facts) {
      try {
        const built = finalizer.build(f, now);
        if (built.keep) waiting.push(f);
        else drafts.push(...built.events);
      } catch (error) {
        recorder.fault('finalize', error);
      }
    }
    // Calls settle out of order; the stream reads better in the order they started.
    drafts.sort((a, b) => a.ts - b.ts);
    notify(append(drafts, process.pid));
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
    snapshot: () => analysis.snapshot(ring.toArray(), ring.dropped),
    findings: () => analysis.findings(),
    clear() {
      ring = new RingBuffer<CacheScopeEvent>(capacity);
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
