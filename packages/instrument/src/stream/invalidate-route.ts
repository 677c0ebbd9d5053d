/** `POST /invalidate` (dev only): `{ tag } | { path, type? }` and `mode` (a path always expires now), handed to the app process's hook. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, sendJson, sendText } from './http-bodies.js';

export interface InvalidateBody {
  tag?: string;
  path?: string;
  type?: 'page' | 'layout';
  mode: 'revalidate' | 'expire';
}

export type Invalidator = (body: InvalidateBody, origin: string) => Promise<{ tags: string[]; mode: string }>;

const MAX_BODY = 4096;
const MAX_TAG = 256; // Next's tag length limit

export function parseInvalidateBody(text: string): InvalidateBody | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'expected JSON { tag } or { path, type? }, with mode "revalidate" or "expire"';
  }
  if (typeof value !== 'object' || value === null) return 'expected a JSON object';
  const v = value as Record<string, unknown>;
  const mode = v.mode ?? 'revalidate';
  if (mode !== 'revalidate' && mode !== 'expire') return 'mode must be "revalidate" or "expire"';
  const hasTag = typeof v.tag === 'string' && v.tag.length > 0 && v.tag.length <= MAX_TAG;
  const hasPath = typeof v.path === 'string' && v.path.startsWith('/') && v.path.length <= 1024;
  if (hasTag === hasPath) return 'give exactly one of tag (1–256 characters) or path (starting with /)';
  if (v.type !== undefined && (!hasPath || (v.type !== 'page' && v.type !== 'layout'))) return 'type is "page" or "layout", with a path';
  return hasTag ? { tag: v.tag as string, mode } : { path: v.path as string, type: v.type as InvalidateBody['type'], mode };
}

export async function serveInvalidate(req: IncomingMessage, res: ServerResponse, invalidator: Invalidator | undefined): Promise<void> {
  if (!invalidator) {
    sendText(res, 404, 'cachescope: invalidation is only available in next dev');
    return;
  }
  let text: string;
  try {
    text = await readBody(req, MAX_BODY);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendText(res, 413, error.message);
    throw error;
  }
  const body = parseInvalidateBody(text);
  if (typeof body === 'string') return sendText(res, 400, body);
  try {
    const origin = req.headers.origin ? `from ${req.headers.origin}` : 'from a local process';
    sendJson(res, 200, await invalidator(body, origin));
  } catch (error) {
    sendText(res, 409, `cachescope: ${error instanceof Error ? error.message : String(error)}`);
  }
}
