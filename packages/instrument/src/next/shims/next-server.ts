// `next/server` under withCacheScope(): Next's exports, with connection() recorded as a dynamic API
// read (why a request was dynamic). Imports no Node modules (middleware and edge bundles use it too).
import * as real from 'next/server.js';
import { getRecorder, guarded, now } from '../../recorder/global.js';
import { callSite } from './call-site.js';

export * from 'next/server.js';

export const connection: typeof real.connection = function connection() {
  const recorder = getRecorder();
  if (recorder) guarded('shim.dynamic', undefined, () => recorder.record({ kind: 'dynamic-api', api: 'connection', site: callSite(connection), t: now(), ctx: recorder.context() }));
  return real.connection();
};
