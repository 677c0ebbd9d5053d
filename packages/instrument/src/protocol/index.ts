/**
 * `@cachescope/instrument/protocol`: how to talk to a stream. Its wire format (the messages of `GET /events`),
 * the one client that follows it, the SSE parser under it, where streams listen, and how a call is written.
 * No Node imports: the overlay bundles it for the browser.
 */
export { callText } from './call-text.js';
export { endpoint, errorText, type FetchLike } from './fetch.js';
export { createSseParser, readSseBody, type SseMessage, type SseParser } from './sse-parser.js';
export {
  MAX_RETRY_MS,
  RETRY_MS,
  openStream,
  type StatusDetail,
  type StreamCallbacks,
  type StreamClient,
  type StreamClientOptions,
  type StreamStatus,
} from './stream-client.js';
export { HEARTBEAT_COMMENT, MESSAGE, type MessageName, type StreamGap, type StreamHello } from './messages.js';
export { DEFAULT_STREAM_PORT, OVERLAY_TOKEN_KEY, STREAM_PORT_SPAN, resolvePort, streamPorts } from './stream-ports.js';
