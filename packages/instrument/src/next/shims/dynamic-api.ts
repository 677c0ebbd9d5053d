// Records dynamic API reads (cookies(), headers(), draftMode(), connection()) once per work unit and
// API: later reads in the same render only raise the count. A render reads cookies() many times; one
// event with a count says the same, without a context lookup or a stack capture per call.
import { getRecorder, guarded, now, type Recorder } from '../../recorder/global.js';
import type { DynamicApi, DynamicApiFacts } from '../../recorder/facts.js';
import { callSite } from './call-site.js';

// Shared on globalThis: Next loads this module once per bundle (route chunks, server actions).
const READS_BY_UNIT = Symbol.for('cachescope.dynamic-reads-by-unit');
const READS_BY_KEY = Symbol.for('cachescope.dynamic-reads-by-key');
const SITES = Symbol.for('cachescope.dynamic-read-sites');
const MAX_TRACKED = 2_000;
const MAX_SITES = 500;

const shared = globalThis as {
  /** Per work unit (Next's store object, held weakly), the open read of each API. */
  [READS_BY_UNIT]?: WeakMap<object, Map<DynamicApi, DynamicApiFacts>>;
  /** Without a work-unit store (tests, benches): by request id, work unit and API. */
  [READS_BY_KEY]?: Map<string, DynamicApiFacts>;
  /** Production: the call site of each API's first read, per route. */
  [SITES]?: Map<string, Error>;
};

/**
 * The app's call site. A stack capture costs V8 several microseconds on a deep render stack; production
 * code does not change under a running server, so there the first read of an API on a route names the
 * place for the next ones. In dev (HMR moves code) every first read per work unit is captured.
 */
function siteOf(api: DynamicApi, route: string | undefined, caller: Function): Error {
  if (process.env.NODE_ENV !== 'production') return callSite(caller);
  const sites = (shared[SITES] ??= new Map());
  const key = `${route}\u0000${api}`;
  let site = sites.get(key);
  if (!site) {
    if (sites.size >= MAX_SITES) sites.clear();
    site = callSite(caller);
    sites.set(key, site);
  }
  return site;
}

function openRead(recorder: Recorder, api: DynamicApi, caller: Function): DynamicApiFacts {
  const ctx = recorder.context();
  const facts: DynamicApiFacts = { kind: 'dynamic-api', api, site: siteOf(api, ctx.route, caller), t: now(), ctx, count: 1 };
  recorder.record(facts);
  return facts;
}

export function observeDynamicRead(api: DynamicApi, caller: Function): void {
  const recorder = getRecorder();
  if (!recorder) return;
  guarded('shim.dynamic', undefined, () => {
    const unit = recorder.unit?.();
    if (unit) {
      const perUnit = (shared[READS_BY_UNIT] ??= new WeakMap());
      let reads = perUnit.get(unit);
      if (!reads) perUnit.set(unit, (reads = new Map()));
      const seen = reads.get(api);
      if (seen && !seen.finalized) seen.count++;
      else reads.set(api, openRead(recorder, api, caller));
      return;
    }
    const ctx = recorder.context();
    const key = `${ctx.requestId}:${ctx.workUnit}:${api}`;
    const tracked = (shared[READS_BY_KEY] ??= new Map());
    const seen = tracked.get(key);
    if (seen && !seen.finalized) {
      seen.count++;
      return;
    }
    if (tracked.size >= MAX_TRACKED) tracked.clear();
    tracked.set(key, openRead(recorder, api, caller));
  });
}
