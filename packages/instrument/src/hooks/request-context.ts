// Who is calling: route, work unit and phase from Next's async-local storages, plus a request id
// kept in a WeakMap on Next's per-request work store (no state of ours outlives the request).
import { workAsyncStorage, workUnitAsyncStorage, type WorkStoreLike, type WorkUnitStoreLike } from './next-runtime.js';
import type { RequestContext } from '../recorder/facts.js';

const requestIds = new WeakMap<object, number>();
let nextRequestId = 1;

export function requestIdOf(workStore: object): number {
  let id = requestIds.get(workStore);
  if (id === undefined) {
    id = nextRequestId++;
    requestIds.set(workStore, id);
  }
  return id;
}

export function currentWorkStore(): WorkStoreLike | undefined {
  try {
    return workAsyncStorage()?.getStore();
  } catch {
    return undefined;
  }
}

/**
 * Contexts are read by every hook (several per fetch, per dynamic read, per cache I/O) and are the same
 * for a whole work unit: build each once per unit store and phase (a request store moves from the
 * action phase to the render phase). Shared objects: nobody may mutate a context.
 */
const contexts = new WeakMap<object, { work: object | undefined; phase: string | undefined; ctx: RequestContext }>();

/**
 * Who is asking: the request's cookies as the render sees them (a Server Action that signs a user in
 * renders as that user) and its Authorization header, read from Next's store as it holds them. Not
 * through cookies()/headers(), which would mark the render dynamic.
 */
function requesterOf(unit: WorkUnitStoreLike | undefined): RequestContext['requester'] {
  const headers = unit?.headers;
  if (!headers || typeof headers.get !== 'function') return undefined;
  const rendered = unit?.type === 'request' && typeof unit.cookies?.toString === 'function' ? unit.cookies.toString() : undefined;
  const cookie = (rendered === undefined ? headers.get('cookie') : rendered) || undefined;
  const authorization = headers.get('authorization') ?? undefined;
  return cookie || authorization ? { cookie, authorization } : undefined;
}

function buildContext(work: WorkStoreLike | undefined, unit: WorkUnitStoreLike | undefined): RequestContext {
  const route = work?.route;
  const phase = unit?.phase;
  // Route handlers: `route` is the URL pattern (`/api/x`); `page` keeps the `/route` suffix (Next's own test).
  const entry = work?.page ?? route;
  return {
    requestId: work ? requestIdOf(work) : undefined,
    route,
    workUnit: unit?.type,
    phase,
    requestKind: !work ? 'unknown' : entry?.endsWith('/route') ? 'route-handler' : phase === 'action' ? 'action' : 'page',
    requester: requesterOf(unit),
  };
}

export function currentRequestContext(): RequestContext {
  try {
    const work = workAsyncStorage()?.getStore();
    const unit = workUnitAsyncStorage()?.getStore();
    const key = unit ?? work;
    if (!key) return { requestKind: 'unknown' };
    const phase = unit?.phase;
    const known = contexts.get(key);
    if (known && known.work === work && known.phase === phase) return known.ctx;
    const ctx = buildContext(work, unit);
    contexts.set(key, { work, phase, ctx });
    return ctx;
  } catch {
    return { requestKind: 'unknown' };
  }
}
