// `next/headers` as the app sees it under withCacheScope(): the same functions, with each dynamic
// API read recorded (route, call site) so the overlay can say why a request was dynamic. It never
// reads cookie or header values itself.
import * as real from 'next/headers.js';
import { getRecorder, guarded, now } from '../../recorder/global.js';
import { callSite } from './call-site.js';
import type { DynamicApi } from '../../recorder/facts.js';

export * from 'next/headers.js';

function observe(api: DynamicApi, caller: Function): void {
  const recorder = getRecorder();
  if (!recorder) return;
  guarded('shim.dynamic', undefined, () => recorder.record({ kind: 'dynamic-api', api, site: callSite(caller), t: now(), ctx: recorder.context() }));
}

export const cookies: typeof real.cookies = function cookies() {
  observe('cookies', cookies);
  return real.cookies();
};

export const headers: typeof real.headers = function headers() {
  observe('headers', headers);
  return real.headers();
};

export const draftMode: typeof real.draftMode = function draftMode() {
  observe('draftMode', draftMode);
  return real.draftMode();
};
