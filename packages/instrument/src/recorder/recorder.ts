// One recorder per process, on a global symbol: Next loads our modules several times in one process
// (instrumentation chunk, route chunks, unbundled handler files) and module state is not shared.
// The hot path only pushes facts into a bounded array; a timer turns them into events off the path.
import { createCallRegistry } from './call-registry.js';
import type { Facts } from './facts.js';
import { RECORDER_SYMBOL, now, type Recorder } from './global.js';

export { getRecorder, guarded } from './global.js';
export type { Recorder } from './global.js';

const MAX_PENDING = 20_000;

function createRecorder(): Recorder {
  let pending: Facts[] = [];
  let droppedFacts = 0;
  const faults = new Map<string, number>();
  const recorder: Recorder = {
    calls: createCallRegistry(),
    context: () => ({ requestKind: 'unknown' }),
    record(facts) {
      if (pending.length >= MAX_PENDING) {
        droppedFacts++;
        return;
      }
      pending.push(facts);
    },
    fault(where, error) {
      try {
        const first = !faults.has(where);
        faults.set(where, (faults.get(where) ?? 0) + 1);
        if (first) recorder.record({ kind: 'internal-error', where, error, t: now(), ctx: { requestKind: 'unknown' } });
      } catch {
        // a fault while reporting a fault: nothing more to do safely
      }
    },
    takePending() {
      const taken = pending;
      pending = [];
      return taken;
    },
    get droppedFacts() {
      return droppedFacts;
    },
    faults,
    paused: false,
  };
  return recorder;
}

export function installRecorder(): Recorder {
  const g = globalThis as { [RECORDER_SYMBOL]?: Recorder };
  g[RECORDER_SYMBOL] ??= createRecorder();
  return g[RECORDER_SYMBOL];
}
