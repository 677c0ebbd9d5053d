export { startStreamServer, resolvePort, sameApp, DEFAULT_PORT } from './server.js';
export { isLoopbackHost, isLoopbackOrigin, isLoopbackAddress } from './security.js';
export type { GapInfo } from './sse.js';
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
