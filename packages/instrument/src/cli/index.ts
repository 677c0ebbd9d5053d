export { runCli, type CliEnv } from './main.js';
export { runTail, type TailOptions } from './tail.js';
export { runSnapshot, type SnapshotOptions } from './snapshot.js';
export { runReport, type ReportOptions } from './report.js';
export { parseArgs, resolveUrl, USAGE } from './args.js';
export { EventFormatter, clock, callSignature } from './format.js';
export { createSseParser, type SseMessage, type SseParser } from './sse-parser.js';
export { openSse, type SseConnection, type SseEnd } from './sse-client.js';
export type { CliIo } from './io.js';
