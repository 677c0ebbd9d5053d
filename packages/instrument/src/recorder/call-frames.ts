// The calls in flight (fetch, unstable_cache) of each request, for the hooks that run below a call (the
// cache handler, the origin fetch, Next's fetch span) to find the call they belong to. Next numbers every
// fetch and unstable_cache call of a request (`fetchIdx`) and hands that number to the cache handler and
// to the origin fetch: a call is bound to its number when Next numbers it synchronously (seen by the
// fetch hook), else the first time a hook reports the number, as the oldest open call of that kind and
// URL in the request.
// Why not an AsyncLocalStorage of our own: Node 20 copies every enabled storage onto every promise the
// process creates (about 1,800 per demo request), which cost as much as everything else cachescope does.
import type { CallFrame } from './facts.js';
import { hrefOf } from './inputs.js';

/** Calls that never get a number (deduplicated, served from the resume data cache) stay open: bounded. */
const MAX_PER_REQUEST = 256;

/** The request key when hooks run outside Next's request storage (tests, benches). */
export const OUTSIDE_REQUESTS: object = Object.freeze({});

type RequestCalls = { open: CallFrame[]; numbered: Map<number, CallFrame> };

export type CallRegistry = {
  /** A call starts in request `work`. */
  open(work: object, frame: CallFrame): void;
  /** Next gave `frame` the number `fetchIdx` (seen at once when it numbered the call synchronously). */
  number(work: object, frame: CallFrame, fetchIdx: number): void;
  /**
   * The call of `kind` that Next numbered `fetchIdx` in request `work`. A number seen for the first time
   * binds the oldest open call of that kind (and URL, for fetch): still running ones first.
   */
  find(work: object, kind: CallFrame['kind'], fetchIdx: unknown, url?: () => string): CallFrame | undefined;
  /** The oldest running fetch of `url` that Next's own report (its fetch span) has not reached yet. */
  awaitingNextReport(work: object, url: string): CallFrame | undefined;
};

const hrefs = new WeakMap<CallFrame, string>();
/** A call's URL as Next reports it, worked out once per call (only when a hook has to match by URL). */
function frameHref(frame: CallFrame): string | undefined {
  if (frame.kind !== 'fetch') return undefined;
  let href = hrefs.get(frame);
  if (href === undefined) hrefs.set(frame, (href = hrefOf(frame.input)));
  return href;
}

export function createCallRegistry(): CallRegistry {
  const requests = new WeakMap<object, RequestCalls>();

  function callsOf(work: object): RequestCalls {
    let calls = requests.get(work);
    if (!calls) requests.set(work, (calls = { open: [], numbered: new Map() }));
    return calls;
  }

  function bind(calls: RequestCalls, frame: CallFrame, fetchIdx: number): void {
    calls.numbered.set(fetchIdx, frame);
    if (calls.numbered.size > MAX_PER_REQUEST) calls.numbered.delete(calls.numbered.keys().next().value as number);
  }

  function oldestOpen(calls: RequestCalls, matches: (frame: CallFrame) => boolean): number {
    const running = calls.open.findIndex((f) => !f.finalized && matches(f));
    return running !== -1 ? running : calls.open.findIndex(matches);
  }

  return {
    open(work, frame) {
      const calls = callsOf(work);
      calls.open.push(frame);
      if (calls.open.length > MAX_PER_REQUEST) calls.open.shift();
    },
    number(work, frame, fetchIdx) {
      const calls = callsOf(work);
      const at = calls.open.indexOf(frame);
      if (at !== -1) calls.open.splice(at, 1);
      bind(calls, frame, fetchIdx);
    },
    find(work, kind, fetchIdx, url) {
      const calls = requests.get(work);
      if (!calls) return undefined;
      const idx = typeof fetchIdx === 'number' ? fetchIdx : undefined;
      const known = idx === undefined ? undefined : calls.numbered.get(idx);
      if (known) return known.kind === kind ? known : undefined;
      const href = url?.();
      const at = oldestOpen(calls, (f) => f.kind === kind && (href === undefined || frameHref(f) === href));
      if (at === -1) return undefined;
      const [frame] = calls.open.splice(at, 1);
      if (idx !== undefined) bind(calls, frame!, idx);
      return frame;
    },
    awaitingNextReport(work, url) {
      const calls = requests.get(work);
      if (!calls) return undefined;
      const awaiting = (f: CallFrame) => f.kind === 'fetch' && !f.finalized && !f.next && frameHref(f) === url;
      for (const frame of calls.numbered.values()) if (awaiting(frame)) return frame;
      return calls.open.find(awaiting);
    },
  };
}
