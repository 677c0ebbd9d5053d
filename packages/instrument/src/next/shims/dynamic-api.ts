// Records dynamic API reads (cookies(), headers(), draftMode(), connection()) once per request, work
// unit and API: later reads in the same render only raise the count. A render reads cookies() many
// times; one event with a count says the same, without a stack capture per call.
import { getRecorder, guarded, now } from '../../recorder/global.js';
import type { DynamicApi, DynamicApiFacts } from '../../recorder/facts.js';
import { callSite } from './call-site.js';

const READS = Symbol.for('cachescope.dynamic-reads');
const MAX_TRACKED = 2_000;

function reads(): Map<string, DynamicApiFacts> {
  const g = globalThis as { [READS]?: Map<string, DynamicApiFacts> };
  return (g[READS] ??= new Map());
}

export function observeDynamicRead(api: DynamicApi, caller: Function): void {
  const recorder = getRecorder();
  if (!recorder) return;
  guarded('shim.dynamic', undefined, () => {
    const ctx = recorder.context();
    const key = `${ctx.requestId}:${ctx.workUnit}:${api}`;
    const tracked = reads();
    const seen = tracked.get(key);
    if (seen && !seen.finalized) {
      seen.count++;
      return;
    }
    if (tracked.size >= MAX_TRACKED) tracked.clear();
    const facts: DynamicApiFacts = { kind: 'dynamic-api', api, site: callSite(caller), t: now(), ctx, count: 1 };
    tracked.set(key, facts);
    recorder.record(facts);
  });
}
