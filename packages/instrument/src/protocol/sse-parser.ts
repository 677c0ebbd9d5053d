/**
 * Server-Sent Events read from a `fetch` body (browsers and Node 20 alike; no EventSource). The parser follows
 * the WHATWG event-stream rules: LF / CRLF / CR line ends split anywhere across chunks, comments, multi-line
 * `data`, `id` (kept across messages) and `retry`.
 */

export interface SseMessage {
  /** `event:` field, `message` when absent. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream so far ('' before any), as EventSource tracks it. */
  lastEventId: string;
}

export interface SseParser {
  push(chunk: string): void;
  /** The last `id:` seen. */
  readonly lastEventId: string;
  /** The last `retry:` seen, if any. */
  readonly retry: number | undefined;
}

export function createSseParser(onMessage: (message: SseMessage) => void, onComment?: (text: string) => void): SseParser {
  let buffer = '';
  let skipLeadingLf = false;
  let event = '';
  let data: string[] = [];
  let hasData = false;
  let lastEventId = '';
  let retry: number | undefined;

  const dispatch = () => {
    if (hasData) onMessage({ event: event || 'message', data: data.join('\n'), lastEventId });
    event = '';
    data = [];
    hasData = false;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.charCodeAt(0) === 58 /* : */) return onComment?.(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      hasData = true;
    } else if (field === 'event') event = value;
    else if (field === 'id') {
      if (!value.includes('\0')) lastEventId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  };

  return {
    push(chunk: string) {
      let text = chunk;
      // a CR that ended the previous chunk already closed its line; a LF right after it belongs to it
      if (skipLeadingLf && text.charCodeAt(0) === 10) text = text.slice(1);
      skipLeadingLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return lastEventId;
    },
    get retry() {
      return retry;
    },
  };
}

/** Feed a response body into a parser until the stream ends (resolves) or fails / is aborted (rejects). */
export async function readSseBody(body: ReadableStream<Uint8Array>, parser: SseParser): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value && value.byteLength > 0) parser.push(decoder.decode(value, { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) parser.push(rest);
  } finally {
    try {
      reader.releaseLock();
    } catch {
      /* already released by an abort */
    }
  }
}
