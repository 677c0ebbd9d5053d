// `next/headers` as the app sees it under withCacheScope(): the same functions, with each dynamic
// API read recorded (route, call site) so the overlay can say why a request was dynamic. It never
// reads cookie or header values itself.
import * as real from 'next/headers.js';
import { observeDynamicRead } from './dynamic-api.js';
import { callNext } from './own-frames.js';

export * from 'next/headers.js';

export const cookies: typeof real.cookies = function cookies() {
  observeDynamicRead('cookies', cookies);
  return callNext(cookies, real.cookies, []);
};

export const headers: typeof real.headers = function headers() {
  observeDynamicRead('headers', headers);
  return callNext(headers, real.headers, []);
};

export const draftMode: typeof real.draftMode = function draftMode() {
  observeDynamicRead('draftMode', draftMode);
  return callNext(draftMode, real.draftMode, []);
};
