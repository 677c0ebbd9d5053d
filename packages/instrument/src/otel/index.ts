// `@cachescope/instrument/otel`: what an app with its own OpenTelemetry setup adds to it, and the
// names cachescope's spans and attributes use (for queries, dashboards and tests).
//
//   import { cacheScopeSpanProcessor } from '@cachescope/instrument/otel';
//   new NodeSDK({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter()), cacheScopeSpanProcessor()] }).start();
//   registerOTel({ serviceName: 'my-app', spanProcessors: ['auto', cacheScopeSpanProcessor()] }); // @vercel/otel
export { CacheScopeSpanProcessor, cacheScopeSpanProcessor } from './processor.js';
export { ATTR, FINDING_EVENT, SPAN_NAMES, type AttributeName } from './attributes.js';
export type { CacheScopeOtelOptions, OtlpProtocol } from './state.js';
