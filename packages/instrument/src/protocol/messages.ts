/**
 * What `GET /events` sends: the Server-Sent Events messages, their names and their payloads. The stream server
 * (stream/sse.ts) writes them; the stream client (stream-client.ts) reads them.
 *
 *   retry: 1000           hello: once on connect; no `id:`, so Last-Event-ID is untouched
 *   event: hello
 *   data: {...health,"lastId":42}
 *
 *   id: 42                batch: `id:` is the id of its last event (sent back as Last-Event-ID to resume)
 *   event: batch
 *   data: [{...},{...}]
 *
 *   event: gap            events the client will never receive
 *   data: {"missed":120,"from":3,"to":122,"reason":"evicted"}
 *
 *   event: findings       findings new or changed (all current ones on connect)
 *   event: clear          the store was cleared (`POST /clear`): views empty themselves
 *   : ping                heartbeat (a comment)
 */
import type { StreamHealth } from './events.js';

export const MESSAGE = {
  hello: 'hello',
  batch: 'batch',
  gap: 'gap',
  findings: 'findings',
  clear: 'clear',
} as const;

export type MessageName = (typeof MESSAGE)[keyof typeof MESSAGE];

/** The text of the heartbeat comment. */
export const HEARTBEAT_COMMENT = 'ping';

/** The `hello` message: the server's `/health`, and the id of the newest event it holds (0 before the first). */
export interface StreamHello extends StreamHealth {
  lastId: number;
}

/** The `gap` message. */
export interface StreamGap {
  /** How many events the client will never receive. */
  missed: number;
  /** First and last missed id. */
  from: number;
  to: number;
  /** Why: evicted from the ring buffer, or dropped while the client was not reading. */
  reason: 'evicted' | 'slow-client';
}
