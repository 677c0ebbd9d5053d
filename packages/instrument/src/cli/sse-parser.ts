/**
 * An incremental Server-Sent Events parser (the WHATWG "event stream interpretation"), fed with text chunks.
 * Handles CRLF / LF / CR line ends split across chunks, comments, multi-line data, `id` and `retry`.
 */

export interface SseMessage {
  /** `event:` field, `message` when absent. */
  event: string;
  data: string;
  /** The stream's last event id after this message (as EventSource tracks it). */
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
  let pendingCR = false;
  let event = '';
  let data: string[] = [];
  let hasData = false;
  let lastEventId = '';
  let retry: number | undefined;

  const dispatch = () => {
    if (hasData) {
      onMessage({ event: event || 'message', data: data.join('\n'), lastEventId });
    }
    event = '';
    data = [];
    hasData = false;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return onComment?.(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        event = value;
        break;
      case 'data':
        data.push(value);
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        break;
    }
  };

  return {
    push(chunk: string) {
      let text = chunk;
      // a CR that ended the previous chunk already closed its line; a LF right after it belongs to it
      if (pendingCR && text.startsWith('\n')) text = text.slice(1);
      pendingCR = false;
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
            pendingCR = true;
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
