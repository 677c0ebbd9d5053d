// The recorder as hooks see it: a global slot and nothing else, so the next/cache and next/headers
// shims (bundled into the app, client bundles included) import no Node modules.
import type { CallRegistry } from './call-registry.js';
import type { Facts, RequestContext } from './facts.js';
import type { SpanContext } from '@opentelemetry/api';

export const RECORDER_SYMBOL = Symbol.for('cachescope.recorder');

export type Recorder = {
  /** Hooks attach cache-handler and origin-fetch facts to the call they belong to. */
  readonly calls: CallRegistry;
  /** Route, work unit and phase of the running request (set by register(); shims cannot load Next internals). */
  context: () => RequestContext;
  /**
   * The running request (Next's work store) as an identity: what the hooks find their call by and the shims
   * fold repeated reads by, without building a context. Set by register(); undefined outside a request.
   */
  work?: () => object | undefined;
  record(facts: Facts): void;
  /** Counts an internal error; never throws. */
  fault(where: string, error: unknown): void;
  /** Facts waiting for the next flush (the flusher takes them). */
  takePending(): Facts[];
  /** Facts not recorded because the pending queue was full. */
  readonly droppedFacts: number;
  readonly faults: ReadonlyMap<string, number>;
  /** While true, getRecorder() answers undefined: every hook passes its call straight through. */
  paused: boolean;
};

/**
 * Epoch ms without Date.now(): with cacheComponents, Next flags Date.now() inside a prerender as
 * "blocking-prerender-current-time"; performance.now() is the timing API it allows.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

type WithRecorder = { [RECORDER_SYMBOL]?: Recorder; [EVENT_PARENTS]?: Map<number, SpanContext> };

const EVENT_PARENTS = Symbol.for('cachescope.event-parents');
const MAX_EVENT_PARENTS = 20_000;

/**
 * The OTel parent of an event, by event id (src/otel): the span that was active where its hook ran. Kept
 * beside the events, never on them, so nothing serialises it. Filled only while cachescope exports spans;
 * the span bridge takes each entry out as it turns the event into a span.
 */
export function eventParents(): Map<number, SpanContext> {
  const g = globalThis as WithRecorder;
  g[EVENT_PARENTS] ??= new Map();
  return g[EVENT_PARENTS];
}

export function setEventParent(eventId: number, parent: SpanContext): void {
  const parents = eventParents();
  if (parents.size >= MAX_EVENT_PARENTS) parents.clear(); // nobody is taking them: do not grow
  parents.set(eventId, parent);
}

/** The process's recorder, or undefined when cachescope was not registered (hooks then pass through). */
export function getRecorder(): Recorder | undefined {
  const recorder = (globalThis as WithRecorder)[RECORDER_SYMBOL];
  return recorder?.paused ? undefined : recorder;
}

/** Runs a hook body; any error it throws is counted and swallowed so the app's call goes on. */
export function guarded<T>(where: string, fallback: T, body: () => T): T {
  try {
    return body();
  } catch (error) {
    getRecorder()?.fault(where, error);
    return fallback;
  }
}
