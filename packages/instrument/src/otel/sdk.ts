// Starts @opentelemetry/sdk-node for an app that has no tracer provider of its own: a batch span
// processor with the OTLP exporter the environment (or the option) asks for, plus cachescope's span
// processor. Traces only: metrics and logs stay off unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER
// ask for them explicitly.
//
// The SDK is loaded at run time from cachescope's own dependencies, never bundled: Next bundles
// instrumentation code, and the SDK (gRPC, protobufjs, …) has nothing to gain from that.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { redactText } from '../analysis/redact.js';
import { appRequire } from '../hooks/next-runtime.js';
import { instanceLabel } from '../cluster/instance.js';
import { watchExportFaults, type ExportFaultSinks, type Exporter } from './export-faults.js';
import { tracesUrl, type OtlpProtocol, type ResolvedOtelConfig } from './state.js';

const EXPORTER_MODULES: Record<OtlpProtocol, string> = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

/** require() resolving from @cachescope/instrument's own install (its dependencies, not the app's). */
function instrumentRequire(): NodeJS.Require {
  try {
    return createRequire(appRequire().resolve('@cachescope/instrument/package.json'));
  } catch {
    return createRequire(import.meta.url);
  }
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** The app's package.json name (process.cwd() is the Next project directory). */
export function appPackageName(cwd = process.cwd()): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof pkg.name === 'string' && pkg.name ? pkg.name : undefined;
  } catch {
    return undefined;
  }
}

/** Explicit option, else nothing when the environment names the service, else the package name. */
export function serviceNameFor(config: ResolvedOtelConfig, cwd?: string): string | undefined {
  if (config.serviceName) return config.serviceName;
  if (env('OTEL_SERVICE_NAME')) return undefined;
  if (/(^|,)\s*service\.name\s*=/.test(process.env.OTEL_RESOURCE_ATTRIBUTES ?? '')) return undefined;
  return appPackageName(cwd);
}

/** Where spans go, for the log line. */
export function describeEndpoint(config: ResolvedOtelConfig): string {
  if (config.optionEndpoint) return tracesUrl(config.optionEndpoint, config.protocol);
  const traces = env('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces) return traces;
  const base = env('OTEL_EXPORTER_OTLP_ENDPOINT');
  return base ? tracesUrl(base, config.protocol) : '(default endpoint)';
}

type Attrs = Record<string, unknown> | undefined;
type ExportedSpan = { name: string; attributes: Attrs; events?: { attributes?: Attrs }[]; status?: { message?: string } };

function redactAttributes(attributes: Attrs): Attrs {
  if (!attributes) return attributes;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    out[key] =
      typeof value === 'string'
        ? redactText(value)
        : Array.isArray(value)
          ? value.map((v) => (typeof v === 'string' ? redactText(v) : v))
          : value;
  }
  return out;
}

/**
 * What this SDK exports leaves the process, Next's own spans included, and those carry URLs as they came
 * (`http.target: /page?token=…`, fetch URLs): redacted like everything cachescope emits. A span that
 * cannot be redacted is not exported (undefined).
 */
export function redactForExport<T extends ExportedSpan>(span: T): T | undefined {
  try {
    return Object.create(span, {
      name: { value: redactText(span.name), enumerable: true },
      attributes: { value: redactAttributes(span.attributes), enumerable: true },
      events: { value: span.events?.map((e) => ({ ...e, attributes: redactAttributes(e.attributes) })), enumerable: true },
      status: {
        value: span.status && { ...span.status, message: span.status.message && redactText(span.status.message) },
        enumerable: true,
      },
    }) as T;
  } catch {
    return undefined;
  }
}

export type StartedSdk = { serviceName: string | undefined; endpoint: string; shutdown(): Promise<void> };

export function startSdk(config: ResolvedOtelConfig, extraProcessor: SpanProcessor, sinks: ExportFaultSinks): StartedSdk {
  const req = instrumentRequire();
  // Through a parameter, so no bundler mistakes these for static requires to pull in.
  const load = (name: string): unknown => req(name);
  const { NodeSDK } = load('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = load('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = load(EXPORTER_MODULES[config.protocol]) as {
    OTLPTraceExporter: new (options?: { url?: string }) => Exporter;
  };

  const endpoint = describeEndpoint(config);
  // With no url the exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, headers, timeout… itself.
  const exporter = new OTLPTraceExporter(config.optionEndpoint ? { url: tracesUrl(config.optionEndpoint, config.protocol) } : {});
  // A collector that is down, hangs or answers 500 is silent by default (OTel's diag logger is off).
  // Memory stays bounded meanwhile: the batch processor holds at most OTEL_BSP_MAX_QUEUE_SIZE (2048)
  // spans, drops the rest, and runs one export at a time.
  watchExportFaults(exporter, endpoint, sinks, (spans) => (spans as ExportedSpan[]).map(redactForExport).filter((s) => s !== undefined));

  const serviceName = serviceNameFor(config);
  const { resourceFromAttributes } = load('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const sdk = new NodeSDK({
    serviceName,
    // Several instances of one app (cluster mode or not): each one's spans say which it is.
    resource: resourceFromAttributes({ 'service.instance.id': instanceLabel() }),
    spanProcessors: [new BatchSpanProcessor(exporter as never), extraProcessor],
    instrumentations: [],
    ...(env('OTEL_METRICS_EXPORTER') ? {} : { metricReaders: [] }),
  });
  // NodeSDK.start() reads OTEL_LOGS_EXPORTER and defaults to an OTLP logs exporter: keep logs off
  // unless asked for, without registering an empty logger provider either.
  const logsUnset = env('OTEL_LOGS_EXPORTER') === undefined;
  if (logsUnset) process.env.OTEL_LOGS_EXPORTER = 'none';
  try {
    sdk.start();
  } finally {
    if (logsUnset) delete process.env.OTEL_LOGS_EXPORTER;
  }
  return { serviceName: serviceName ?? env('OTEL_SERVICE_NAME'), endpoint, shutdown: () => sdk.shutdown() };
}
