// A property trap on globalThis.fetch. Next assigns its patched fetch (and, on dev HMR, restores a
// plain fetch captured before register()); the trap wraps whatever is assigned, so we sit both
// *outside* Next's patch (to see every call with its declared options) and *inside* it (to see the
// origin calls that really went to the network). A plain `globalThis.fetch = wrap(fetch)` would be
// dropped at the first HMR.
import { getRecorder, guarded, now } from '../recorder/global.js';
import type { FetchFacts } from '../recorder/facts.js';
import { declaredMethod, hrefOf, urlOf } from '../recorder/inputs.js';
import { listKey, placeMemo, repeatedCallSite } from './shims/call-site.js';
import type { WorkStoreLike } from './next-runtime.js';
import { observeSettled } from './observe-settled.js';

const TRAP_INSTALLED = Symbol.for('cachescope.fetch-trap');
const WRAPPED = Symbol.for('cachescope.fetch-wrapped');

type AnyFetch = ((input: unknown, init?: any) => Promise<Response>) & Record<PropertyKey, any>;

/** Properties third-party code reads on Next's patched fetch; the outer wrapper must carry them. */
const NEXT_FETCH_PROPS = ['__nextPatched', '__nextGetStaticStore', '_nextOriginalFetch'] as const;

const FETCH_PLACES = placeMemo('fetch');

/**
 * A fetch's place under `next start`, after its route: its URL without the query, its method, its tags.
 * A GET of a fixed URL with one literal tag builds no string: the keys are the app's own.
 */
function fetchSite(route: string | undefined, input: unknown, init: any, above: Function): Error {
  const url = urlOf(input);
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return repeatedCallSite(FETCH_PLACES, above, route, path, declaredMethod(input, init), listKey(init?.next?.tags));
}

function wrapOuter(patched: AnyFetch): AnyFetch {
  const outer = function fetch(this: unknown, input: unknown, init?: any): Promise<Response> {
    const recorder = getRecorder();
    if (!recorder) return patched.call(this, input, init);
    const started = guarded<{ frame: FetchFacts; work: WorkStoreLike | undefined } | undefined>('fetch.start', undefined, () => {
      const ctx = recorder.context();
      // Outside a request Next passes the call straight through: nothing to observe.
      if (ctx.requestId === undefined) return undefined;
      const frame: FetchFacts = {
        kind: 'fetch',
        t: now(),
        ctx,
        input,
        init,
        declaredCache: init?.cache,
        declaredNext: init?.next,
        originCalls: 0,
        site: fetchSite(ctx.route, input, init, outer),
      };
      const work = recorder.work?.();
      recorder.calls.open(work, frame);
      return { frame, work };
    });
    if (!started) return patched.call(this, input, init);
    const { frame, work } = started;
    const before = work?.nextFetchId;
    const result = patched.call(this, input, init);
    guarded('fetch.number', undefined, () => {
      // A call Next does not look up in the data cache gets its number before the first await: bind it now.
      const idx = before ?? 1;
      if (work && work.nextFetchId === idx + 1) recorder.calls.number(work, frame, idx);
    });
    recorder.record(frame);
    return observeSettled('fetch.settled', result, ({ value, failed }) => {
      frame.end = now();
      frame.status = value?.status;
      frame.failed = failed;
      if (failed === undefined) guarded('fetch.write', undefined, () => watchPendingWrite(work, frame));
    });
  } as AnyFetch;
  for (const prop of NEXT_FETCH_PROPS) if (prop in patched) outer[prop] = patched[prop];
  Object.defineProperty(outer, 'name', { value: 'fetch' });
  outer[WRAPPED] = 'outer';
  return outer;
}

const settleWrite = (frame: FetchFacts) => () => {
  frame.writing = false;
};

const WRITE_PREFIX = 'cache-set-';

/** Next's writes in flight in this request that may be this call's: its own, or any when its key is unknown. */
function pendingWrites(work: WorkStoreLike | undefined, frame: FetchFacts): PromiseLike<unknown>[] {
  const pending = work?.pendingRevalidates;
  if (!pending || frame.stored) return [];
  const key = frame.lookup?.key;
  // Without a lookup (a dev hard refresh skips it) Next still stores a 200 it fetched: wait for every write.
  const names =
    key !== undefined
      ? [`${WRITE_PREFIX}${key}`]
      : frame.originCalls > 0 && frame.status === 200
        ? Object.keys(pending).filter((k) => k.startsWith(WRITE_PREFIX))
        : [];
  return names.map((name) => pending[name]).filter((p): p is PromiseLike<unknown> => typeof p?.then === 'function');
}

/**
 * A response Next stores outside a prerender is written once its body has arrived, after the fetch
 * returned (patch-fetch `createCachedDynamicResponse`), and Next tracks that write in
 * `workStore.pendingRevalidates` as `cache-set-<cacheKey>`. While it is in flight the call's outcome
 * (stored or not) is unknown: the recorder holds the call until the write settles.
 */
function watchPendingWrite(work: WorkStoreLike | undefined, frame: FetchFacts): void {
  const writes = pendingWrites(work, frame);
  if (writes.length === 0) return;
  frame.writing = true;
  const settled = settleWrite(frame);
  Promise.allSettled(writes).then(settled, settled);
}

/** Next calls the origin with `init.next = { fetchType: 'origin', fetchIdx }`: count it on that call. */
function countOriginCall(input: unknown, init: any): void {
  const recorder = getRecorder();
  const next = init?.next;
  if (!recorder || next?.fetchType !== 'origin') return;
  guarded('fetch.origin', undefined, () => {
    const frame = recorder.calls.find(recorder.work?.(), 'fetch', next.fetchIdx, () => hrefOf(input));
    if (frame?.kind === 'fetch' && !frame.finalized) frame.originCalls++;
  });
}

function wrapInner(plain: AnyFetch): AnyFetch {
  const inner = function fetch(this: unknown, input: unknown, init?: any): Promise<Response> {
    countOriginCall(input, init);
    return plain.call(this, input, init);
  } as AnyFetch;
  for (const key of Object.keys(plain)) inner[key] = plain[key];
  Object.defineProperty(inner, 'name', { value: 'fetch' });
  inner[WRAPPED] = 'inner';
  return inner;
}

function wrapAssigned(value: unknown): unknown {
  if (typeof value !== 'function') return value;
  const fn = value as AnyFetch;
  if (fn[WRAPPED]) return fn;
  return guarded('fetch.trap', fn, () => (fn.__nextPatched ? wrapOuter(fn) : wrapInner(fn)));
}

export function installFetchTrap(): void {
  const g = globalThis as typeof globalThis & Record<PropertyKey, unknown>;
  if (g[TRAP_INSTALLED]) return;
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (descriptor && !descriptor.configurable) throw new Error('globalThis.fetch is not configurable; fetch calls will not be observed');
  let current = wrapAssigned(g.fetch);
  Object.defineProperty(globalThis, 'fetch', {
    configurable: true,
    enumerable: descriptor?.enumerable ?? true,
    get: () => current,
    set: (next: unknown) => {
      current = wrapAssigned(next);
    },
  });
  g[TRAP_INSTALLED] = true;
}
