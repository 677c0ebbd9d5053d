export { startStreamServer, sameApp } from './server.js';
export { resolvePort } from '../protocol/stream-ports.js';
export { isLoopbackHost, isLoopbackOrigin, isLoopbackAddress } from './security.js';
export type { StreamGap } from '../protocol/messages.js';
export type {
  FindingLike,
  LogLevel,
  StreamEvent,
  StreamLog,
  StreamMode,
  StreamServer,
  StreamServerOptions,
  StreamSource,
  StreamStats,
} from './types.js';
