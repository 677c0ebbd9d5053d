// The calls in flight (fetch, unstable_cache) of each request, for the hooks that run below a call (the
// cache handler, the origin fetch, Next's fetch span) to find the call they belong to. Next numbers every
// fetch and unstable_cache call of a request (`fetchIdx`) and hands that number to the cache handler and
// to the origin fetch: a call is bound to its number when Next numbers it synchronously (seen by the
// fetch hook), else the first time a hook reports the number, as the oldest open call of that kind and
// URL in the request.
// Why not an AsyncLocalStorage of our own: Node 20 copies every enabled storage onto every promise the
// process creates (about 1,800 per demo request), which cost as much as everything else cachescope does.
import type { CallFrame } from './facts.js';
import { hrefOf, urlOf } from './inputs.js';

/** Calls that never get a number (deduplicated, served from the resume data cache) stay open: bounded. */
const MAX_PER_REQUEST = 256;
const UNSTABLE_CACHE = 'unstable_cache';

/** The request key when hooks run outside Next's request storage (tests, benches). */
export const OUTSIDE_REQUESTS: object = Object.freeze({});

type RequestCalls = {
  /** Open calls by URL as Next reports it (unstable_cache calls under one key), oldest first. */
  open: Map<string, CallFrame[]>;
  /** Open fetch calls filed under the URL text the app passed, not yet checked against `new URL()`. */
  unchecked: FetchFrame[];
  /** Every open call, oldest first (for the bound). */
  order: CallFrame[];
  numbered: Map<number, CallFrame>;
};

type FetchFrame = Extract<CallFrame, { kind: 'fetch' }>;

/**
 * `work` is the request (Next's work store, `recorder.work()`); hooks running outside Next's request
 * storage (tests, benches) pass undefined and share one key.
 */
export type CallRegistry = {
  /** A call starts in request `work`. */
  open(work: object | undefined, frame: CallFrame): void;
  /** Next gave `frame` the number `fetchIdx` (seen at once when it numbered the call synchronously). */
  number(work: object | undefined, frame: CallFrame, fetchIdx: number): void;
  /**
   * The call of `kind` that Next numbered `fetchIdx` in request `work`. A number seen for the first time
   * binds the oldest open call of that kind (and URL, for fetch): still running ones first.
   */
  find(work: object | undefined, kind: CallFrame['kind'], fetchIdx: unknown, url?: () => string): CallFrame | undefined;
  /** The oldest running fetch of `url` that Next's own report (its fetch span) has not reached yet. */
  awaitingNextReport(work: object | undefined, url: string): FetchFrame | undefined;
};

/** The order calls opened in (times can tie). */
let opened = 0;
/** A fetch's URL as Next reports it, worked out once per call. */
const frameHref = (frame: FetchFrame): string => (frame.href ??= hrefOf(frame.input));

function remove<T>(list: T[] | undefined, item: T): void {
  const at = list ? list.indexOf(item) : -1;
  if (at === 0)
    list!.shift(); // the usual case (oldest first), and V8 trims an array's front in place
  else if (at !== -1) list!.splice(at, 1);
}

export function createCallRegistry(): CallRegistry {
  const requests = new WeakMap<object, RequestCalls>();

  function callsOf(work: object | undefined): RequestCalls {
    const key = work ?? OUTSIDE_REQUESTS;
    let calls = requests.get(key);
    if (!calls) {
      calls = { open: new Map(), unchecked: [], order: [], numbered: new Map() };
      requests.set(key, calls);
    }
    return calls;
  }

  function file(calls: RequestCalls, frame: CallFrame, key: string): CallFrame[] {
    let list = calls.open.get(key);
    if (!list) {
      list = [];
      calls.open.set(key, list);
    }
    frame.filedUnder = key;
    return list;
  }

  function unfile(calls: RequestCalls, frame: CallFrame): void {
    const key = frame.filedUnder;
    if (key === undefined) return;
    const list = calls.open.get(key);
    remove(list, frame);
    if (list?.length === 0) calls.open.delete(key);
    frame.filedUnder = undefined;
  }

  function close(calls: RequestCalls, frame: CallFrame): void {
    unfile(calls, frame);
    remove(calls.order, frame);
  }

  /**
   * Files every unchecked fetch under the URL Next will report for it. A URL the app passed as text may
   * differ (`HTTP://Api.test` vs `http://api.test/`); each call is parsed at most once, and only when a
   * hook has to match by URL.
   */
  function check(calls: RequestCalls): void {
    for (const frame of calls.unchecked) {
      const key = frame.filedUnder;
      const href = frameHref(frame);
      if (key === undefined || href === key) continue; // closed meanwhile, or already in Next's form
      unfile(calls, frame);
      const list = file(calls, frame, href);
      // keep the oldest-first order within the list
      const at = list.findIndex((f) => f.openedAs! > frame.openedAs!);
      list.splice(at === -1 ? list.length : at, 0, frame);
    }
    calls.unchecked = [];
  }

  function bind(calls: RequestCalls, frame: CallFrame, fetchIdx: number): void {
    calls.numbered.set(fetchIdx, frame);
    if (calls.numbered.size > MAX_PER_REQUEST) calls.numbered.delete(calls.numbered.keys().next().value as number);
  }

  return {
    open(work, frame) {
      const calls = callsOf(work);
      frame.openedAs = ++opened;
      file(calls, frame, frame.kind === 'fetch' ? urlOf(frame.input) : UNSTABLE_CACHE).push(frame);
      // a URL object or a Request already carries the parsed form; only text may differ from it
      if (frame.kind === 'fetch' && typeof frame.input === 'string') calls.unchecked.push(frame);
      calls.order.push(frame);
      // past the bound, the older half goes at once (one trim per MAX/2 calls, not one per call)
      if (calls.order.length > MAX_PER_REQUEST) {
        const oldest = calls.order.splice(0, MAX_PER_REQUEST / 2);
        for (const old of oldest) unfile(calls, old);
      }
      if (calls.unchecked.length > MAX_PER_REQUEST) calls.unchecked = calls.unchecked.slice(MAX_PER_REQUEST / 2);
    },
    number(work, frame, fetchIdx) {
      const calls = callsOf(work);
      close(calls, frame);
      bind(calls, frame, fetchIdx);
    },
    find(work, kind, fetchIdx, url) {
      const calls = requests.get(work ?? OUTSIDE_REQUESTS);
      if (!calls) return undefined;
      const idx = typeof fetchIdx === 'number' ? fetchIdx : undefined;
      const known = idx === undefined ? undefined : calls.numbered.get(idx);
      if (known) return known.kind === kind ? known : undefined;
      let key = UNSTABLE_CACHE;
      if (kind === 'fetch') {
        if (calls.unchecked.length) check(calls);
        key = url?.() ?? '';
      }
      const list = calls.open.get(key);
      if (!list) return undefined;
      const frame = list.find((f) => f.kind === kind && !f.finalized) ?? list.find((f) => f.kind === kind);
      if (!frame) return undefined;
      close(calls, frame);
      if (idx !== undefined) bind(calls, frame, idx);
      return frame;
    },
    awaitingNextReport(work, url) {
      const calls = requests.get(work ?? OUTSIDE_REQUESTS);
      if (!calls) return undefined;
      const awaiting = (f: CallFrame): f is FetchFrame => f.kind === 'fetch' && !f.finalized && !f.next;
      for (const frame of calls.numbered.values()) if (awaiting(frame) && frameHref(frame) === url) return frame;
      if (calls.unchecked.length) check(calls);
      return calls.open.get(url)?.find(awaiting);
    },
  };
}
