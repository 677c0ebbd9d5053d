// Who is calling: route, work unit and phase from Next's async-local storages, plus a request id
// kept in a WeakMap on Next's per-request work store (no state of ours outlives the request).
import { workAsyncStorage, workUnitAsyncStorage, type WorkStoreLike } from './next-runtime.js';
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

/** The running work unit's store object (identity only), else the request's work store. */
export function currentUnit(): object | undefined {
  try {
    return workUnitAsyncStorage()?.getStore() ?? workAsyncStorage()?.getStore();
  } catch {
    return undefined;
  }
}

export function currentRequestContext(): RequestContext {
  try {
    const work = workAsyncStorage()?.getStore();
    const unit = workUnitAsyncStorage()?.getStore();
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
    };
  } catch {
    return { requestKind: 'unknown' };
  }
}
