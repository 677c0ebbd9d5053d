/**
 * Server-Sent Events wire format: how a batch, a gap and a heartbeat look on the socket.
 *
 *   id: 42            <- id of the last event in the batch (EventSource sends it back as Last-Event-ID)
 *   event: batch
 *   data: [{...},{...}]
 *
 *   event: gap
 *   data: {"missed":120,"from":3,"to":122}
 */
import type { StreamEvent } from './types.js';

/** One event serialised, or a stand-in when it cannot be (BigInt, cycles): never throws. */
export function serializeEvent(event: StreamEvent): string {
  try {
    return JSON.stringify(event);
  } catch {
    return JSON.stringify({
      id: event.id,
      type: 'internal-error',
      ts: event.ts,
      where: 'stream.serialize',
      message: `event of type ${String(event.type)} could not be serialised`,
      count: 1,
    });
  }
}

export interface Frame {
  text: string;
  /** Id of the last event in the frame. */
  lastId: number;
  events: number;
}

/**
 * Turn events into `batch` frames. Normally one frame; split only when a frame would exceed `maxFrameBytes`
 * (a large replay), so that a slow client can stop between frames.
 */
export function batchFrames(events: readonly StreamEvent[], maxFrameBytes = 256 * 1024): Frame[] {
  const frames: Frame[] = [];
  let parts: string[] = [];
  let bytes = 0;
  let lastId = 0;
  const push = () => {
    if (parts.length === 0) return;
    frames.push({ text: `id: ${lastId}\nevent: batch\ndata: [${parts.join(',')}]\n\n`, lastId, events: parts.length });
    parts = [];
    bytes = 0;
  };
  for (const event of events) {
    const json = serializeEvent(event);
    if (bytes > 0 && bytes + json.length > maxFrameBytes) push();
    parts.push(json);
    bytes += json.length + 1;
    lastId = event.id;
  }
  push();
  return frames;
}

export interface GapInfo {
  /** How many events the client will never receive. */
  missed: number;
  /** First and last missed id. */
  from: number;
  to: number;
  /** Why: evicted from the ring buffer, or dropped while the client was not reading. */
  reason: 'evicted' | 'slow-client';
}

export function gapFrame(gap: GapInfo): string {
  return `event: gap\ndata: ${JSON.stringify(gap)}\n\n`;
}

/** Sent once on connect: who is serving, and where the stream stands. No `id:`, so Last-Event-ID is untouched. */
export function helloFrame(hello: Record<string, unknown>, retryMs: number): string {
  return `retry: ${retryMs}\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`;
}

/** Sent to every client after `POST /clear`, so views can empty themselves. */
export function clearFrame(): string {
  return `event: clear\ndata: {}\n\n`;
}

export const HEARTBEAT = ': ping\n\n';
