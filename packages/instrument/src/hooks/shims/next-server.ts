// `next/server` under withCacheScope(): Next's exports, with connection() recorded as a dynamic API
// read (why a request was dynamic). Imports no Node modules (middleware and edge bundles use it too).
import * as real from 'next/server.js';
import { observeDynamicRead } from './dynamic-api.js';
import { callNext } from './own-frames.js';

export * from 'next/server.js';

export const connection: typeof real.connection = function connection() {
  observeDynamicRead('connection', connection);
  return callNext(connection, real.connection, []);
};
