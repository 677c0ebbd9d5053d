// DEMO_OTEL=app: the demo plays an app that already runs its own OpenTelemetry SDK and adds
// cachescope's span processor to it (docs: packages/instrument/docs/otel.md, "Setup B"). cachescope
// must then use this provider and never register a second one.
//
// A real app imports the SDK directly:
//   import { NodeSDK } from '@opentelemetry/sdk-node';
//   import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
//   import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
// The demo has no OpenTelemetry dependencies of its own, so it loads the copies installed for
// @cachescope/instrument, at run time (unbundled).
import { cacheScopeSpanProcessor } from '@cachescope/instrument/otel';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

// biome-ignore lint/suspicious/noExplicitAny: the SDK classes are loaded by name from the instrument package's own node_modules
function load(name: string): any {
  return createRequire(join(process.cwd(), 'node_modules', '@cachescope', 'instrument', 'package.json'))(name);
}

let appProvider: unknown;

export function registerAppTracing(): void {
  const { NodeSDK } = load('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = load('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-proto');
  const sdk = new NodeSDK({
    serviceName: process.env.DEMO_OTEL_SERVICE_NAME || 'cachescope-demo-app-sdk',
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter()), cacheScopeSpanProcessor()],
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  appProvider = currentProvider();
}

function currentProvider(): unknown {
  const registered = (globalThis as Record<symbol, { trace?: { getDelegate?: () => unknown } } | undefined>)[OTEL_API_GLOBAL]?.trace;
  return registered?.getDelegate?.() ?? registered;
}

/** After cachescope registered: is the app's provider still the one and only global provider? */
export function reportProviders(): void {
  const same = appProvider !== undefined && currentProvider() === appProvider;
  console.log(`[demo-otel] tracer provider after cachescope: ${same ? "the app's own (one provider)" : 'REPLACED OR MISSING'}`);
}
