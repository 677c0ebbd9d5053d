// The request context the hooks read, from Next's own async-local storages (the real modules of the
// installed `next`): built once per work unit and phase, and never shared across units or phases.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentRequestContext } from '../../../src/hooks/request-context.js';

type Storage = { run<R>(store: object, fn: () => R): R };
const require = createRequire(join(process.cwd(), 'package.json'));
// what Next's server sets up before any of its storages load (server/node-environment-baseline)
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
const { workAsyncStorage } = require('next/dist/server/app-render/work-async-storage.external.js') as { workAsyncStorage: Storage };
const { workUnitAsyncStorage } = require('next/dist/server/app-render/work-unit-async-storage.external.js') as {
  workUnitAsyncStorage: Storage;
};

const inUnit = <R>(work: object, unit: object | undefined, fn: () => R): R =>
  workAsyncStorage.run(work, () => (unit ? workUnitAsyncStorage.run(unit, fn) : fn()));

describe('currentRequestContext', () => {
  it('outside a request: unknown, with no request id', () => {
    expect(currentRequestContext()).toEqual({ requestKind: 'unknown' });
  });

  it('is built once per work unit, and is the same object for every read in it', () => {
    const work = { route: '/dashboard', page: '/dashboard/page' };
    const unit = { type: 'request', phase: 'render' };
    const [a, b] = inUnit(work, unit, () => [currentRequestContext(), currentRequestContext()]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ route: '/dashboard', workUnit: 'request', phase: 'render', requestKind: 'page' });
    expect(a!.requestId).toEqual(expect.any(Number));
  });

  it("follows the unit's phase (a request store goes from action to render) and tells units and requests apart", () => {
    const work = { route: '/dashboard', page: '/dashboard/page' };
    const unit = { type: 'request', phase: 'action' };
    const action = inUnit(work, unit, currentRequestContext);
    unit.phase = 'render';
    const render = inUnit(work, unit, currentRequestContext);
    expect(action.requestKind).toBe('action');
    expect(render).toMatchObject({ requestKind: 'page', phase: 'render', requestId: action.requestId });

    const second = inUnit(work, { type: 'prerender-runtime', phase: 'render' }, currentRequestContext);
    expect(second).not.toBe(render);
    expect(second).toMatchObject({ workUnit: 'prerender-runtime', requestId: action.requestId });
    const otherRequest = inUnit({ route: '/dashboard', page: '/dashboard/page' }, unit, currentRequestContext);
    expect(otherRequest.requestId).not.toBe(action.requestId);
  });

  it('names route handlers by their page', () => {
    expect(inUnit({ route: '/api/x', page: '/api/x/route' }, undefined, currentRequestContext)).toMatchObject({
      requestKind: 'route-handler',
      route: '/api/x',
    });
  });

  it("holds the requester's Cookie and Authorization from the unit's own headers, and nothing without them", () => {
    const work = { route: '/dashboard', page: '/dashboard/page' };
    const headers = new Headers({ cookie: 'session=alice.5f0c2a9b', authorization: 'Bearer t0ken', 'x-other': '1' });
    expect(inUnit(work, { type: 'request', phase: 'render', headers }, currentRequestContext).requester).toEqual({
      cookie: 'session=alice.5f0c2a9b',
      authorization: 'Bearer t0ken',
    });
    expect(inUnit(work, { type: 'request', phase: 'render', headers: new Headers() }, currentRequestContext).requester).toBeUndefined();
    expect(inUnit(work, { type: 'prerender', phase: 'render' }, currentRequestContext).requester).toBeUndefined();
  });
});
