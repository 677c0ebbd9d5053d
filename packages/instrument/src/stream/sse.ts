/** Writing the stream's messages (protocol/messages.ts says what they are) as Server-Sent Events frames. */
import { HEARTBEAT_COMMENT, MESSAGE, type StreamGap, type StreamHello } from '../protocol/messages.js';
import type { FindingLike, StreamEvent } from './types.js';

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
    frames.push({ text: `id: ${lastId}\nevent: ${MESSAGE.batch}\ndata: [${parts.join(',')}]\n\n`, lastId, events: parts.length });
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

export function gapFrame(gap: StreamGap): string {
  return `event: ${MESSAGE.gap}\ndata: ${JSON.stringify(gap)}\n\n`;
}

/** Findings new or changed (findings-feed.ts). */
export function findingsFrame(findings: readonly FindingLike[]): string {
  return `event: ${MESSAGE.findings}\ndata: ${JSON.stringify(findings)}\n\n`;
}

/** Sent once on connect: who is serving, and where the stream stands. No `id:`, so Last-Event-ID is untouched. */
export function helloFrame(hello: StreamHello, retryMs: number): string {
  return `retry: ${retryMs}\nevent: ${MESSAGE.hello}\ndata: ${JSON.stringify(hello)}\n\n`;
}

/** Sent to every client after `POST /clear`, so views can empty themselves. */
export function clearFrame(): string {
  return `event: ${MESSAGE.clear}\ndata: {}\n\n`;
}

export const HEARTBEAT = `: ${HEARTBEAT_COMMENT}\n\n`;
