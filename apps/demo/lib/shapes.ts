// Fetch shapes cachescope's decision tests need and the pattern pages do not have (app/shapes): a
// stored fetch in a dynamic page, a non-ASCII tag, and tags past Next's limits. `run` keeps the cache
// entries of one test run apart from earlier runs; the backend counts hits under `shapes-<name>`.
import { backendUrl } from './backend';

export const NON_ASCII_TAG = 'shapes:größe-日本';
/** Over Next's 256-character tag limit: Next stores the entry without it. */
export const LONG_TAG = `shapes:long:${'x'.repeat(260)}`;
/** 130 tags: more than Next's 128-tag limit. */
export const MANY_TAGS = Array.from({ length: 130 }, (_, i) => `shapes:t${i}`);

/** The origin sends the second half of every body this much later: Next's cache write lands well after the response. */
const SLOW_BODY_MS = 60;

export function shapeUrl(name: string, run: string): string {
  return `${backendUrl()}/dashboard?pattern=shapes-${name}&slowBodyMs=${SLOW_BODY_MS}&run=${encodeURIComponent(run)}`;
}

export type ShapeRead = { fetchNo: number };

export async function readShape(name: string, run: string, init: RequestInit): Promise<ShapeRead> {
  const res = await fetch(shapeUrl(name, run), init);
  const data = (await res.json()) as { fetchNo: number };
  return { fetchNo: data.fetchNo };
}
