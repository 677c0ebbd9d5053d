// Records dynamic API reads (cookies(), headers(), draftMode(), connection()) once per request and
// API: later reads in the same request (its renders, its awaits) only raise the count. A request reads
// cookies() many times, and Next 16.4 renders a page twice (request + runtime prerender); one event with
// a count says the same, without a context lookup or a stack capture per call.
import { getRecorder, guarded, now, type Recorder } from '../../recorder/global.js';
import type { DynamicApi, DynamicApiFacts } from '../../recorder/facts.js';
import { placeMemo, repeatedCallSite } from './call-site.js';

// Shared on globalThis: Next loads this module once per bundle (route chunks, server actions).
const READS_BY_REQUEST = Symbol.for('cachescope.dynamic-reads-by-request');
const READS_BY_KEY = Symbol.for('cachescope.dynamic-reads-by-key');
const MAX_TRACKED = 2_000;
const DYNAMIC_PLACES = placeMemo('dynamic-api');

const shared = globalThis as {
  /** Per request (Next's work store, held weakly), the open read of each API. */
  [READS_BY_REQUEST]?: WeakMap<object, Map<DynamicApi, DynamicApiFacts>>;
  /** Without a work store (tests, benches): by request id and API. */
  [READS_BY_KEY]?: Map<string, DynamicApiFacts>;
};

function openRead(recorder: Recorder, api: DynamicApi, caller: Function): DynamicApiFacts {
  const ctx = recorder.context();
  const facts: DynamicApiFacts = {
    kind: 'dynamic-api',
    api,
    site: repeatedCallSite(DYNAMIC_PLACES, caller, ctx.route, api, undefined, undefined),
    t: now(),
    ctx,
    count: 1,
  };
  recorder.record(facts);
  return facts;
}

export function observeDynamicRead(api: DynamicApi, caller: Function): void {
  const recorder = getRecorder();
  if (!recorder) return;
  guarded('shim.dynamic', undefined, () => {
    const request = recorder.work?.();
    if (request) {
      shared[READS_BY_REQUEST] ??= new WeakMap();
      const perRequest = shared[READS_BY_REQUEST];
      let reads = perRequest.get(request);
      if (!reads) {
        reads = new Map();
        perRequest.set(request, reads);
      }
      const seen = reads.get(api);
      if (seen && !seen.finalized) seen.count++;
      else reads.set(api, openRead(recorder, api, caller));
      return;
    }
    const ctx = recorder.context();
    const key = `${ctx.requestId}:${api}`;
    shared[READS_BY_KEY] ??= new Map();
    const tracked = shared[READS_BY_KEY];
    const seen = tracked.get(key);
    if (seen && !seen.finalized) {
      seen.count++;
      return;
    }
    if (tracked.size >= MAX_TRACKED) tracked.clear();
    tracked.set(key, openRead(recorder, api, caller));
  });
}
