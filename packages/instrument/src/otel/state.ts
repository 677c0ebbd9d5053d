// What the OTel side needs to decide before loading anything: is an OTLP endpoint configured, is a
// tracer provider already registered, has the app added cachescope's span processor. No imports (not
// even @opentelemetry/api): with OTel off, cachescope loads and costs nothing here.

/** `@opentelemetry/api`'s global registry (every 1.x copy, Next's bundled one included, shares it). */
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
const STATE = Symbol.for('cachescope.otel');

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/** `registerCacheScope({ otel })`. `false` turns cachescope's spans off (so does CACHESCOPE_OTEL=0). */
export type CacheScopeOtelOptions = {
  /**
   * OTLP base URL, like OTEL_EXPORTER_OTLP_ENDPOINT (`http://localhost:4318`; http protocols append
   * `/v1/traces` unless the URL already ends with it). Only used when cachescope starts the SDK itself.
   */
  endpoint?: string;
  /** Default: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, OTEL_EXPORTER_OTLP_PROTOCOL, else `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Default: OTEL_SERVICE_NAME, else the `name` in the app's package.json. */
  serviceName?: string;
};

export type OtelMode = 'sdk' | 'app';

/** Per process (Next loads our modules several times; module state is not shared). */
export type OtelState = {
  /** Set once cachescope emits spans: `sdk` when it started NodeSDK itself, `app` through the app's provider. */
  mode?: OtelMode;
  /** A CacheScopeSpanProcessor was constructed (the app added it to its own provider, or we did). */
  processorAttached?: boolean;
  /** Set by registerCacheScope when nothing asked for OTel yet: a processor attached later calls it. */
  activate?: () => void;
  /** Stops the SDK cachescope started (tests; flushes pending spans). */
  shutdown?: () => Promise<void>;
};

export function otelState(): OtelState {
  const g = globalThis as { [STATE]?: OtelState };
  g[STATE] ??= {};
  return g[STATE];
}

type ApiRegistry = { version?: string; trace?: unknown; context?: unknown };

export function apiRegistry(): ApiRegistry | undefined {
  return (globalThis as { [OTEL_API_GLOBAL]?: ApiRegistry })[OTEL_API_GLOBAL];
}

/**
 * Whether some tracer provider is registered with `@opentelemetry/api`. `trace.setGlobalTracerProvider`
 * stores a ProxyTracerProvider in the registry's `trace` slot; its delegate is the real provider (a
 * NoopTracerProvider delegate means nothing is registered). Read from the registry itself, so it holds
 * whichever @opentelemetry/api copy registered it.
 */
export function hasRegisteredTracerProvider(): boolean {
  const provider = apiRegistry()?.trace as { getDelegate?: () => unknown } | undefined;
  if (!provider) return false;
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider;
  return !!delegate && (delegate as object).constructor?.name !== 'NoopTracerProvider';
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

function isOtlpProtocol(value: string | undefined): value is OtlpProtocol {
  return !!value && (OTLP_PROTOCOLS as readonly string[]).includes(value);
}

export type ResolvedOtelConfig = {
  /** Endpoint from the option (base URL), when given. */
  optionEndpoint?: string;
  /** Endpoint from the environment (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT wins, used as given). */
  envEndpoint?: string;
  protocol: OtlpProtocol;
  /** Explicit service name (option); otherwise OTEL_SERVICE_NAME / the package name decide. */
  serviceName?: string;
  /** Why the SDK must not be started even with an endpoint. */
  sdkDisabled?: string;
};

export function resolveOtelConfig(options: CacheScopeOtelOptions = {}): ResolvedOtelConfig {
  const requested = options.protocol ?? env('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? env('OTEL_EXPORTER_OTLP_PROTOCOL');
  const tracesExporter = env('OTEL_TRACES_EXPORTER');
  let sdkDisabled: string | undefined;
  if (env('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') sdkDisabled = 'OTEL_SDK_DISABLED=true';
  else if (
    tracesExporter &&
    !tracesExporter
      .split(',')
      .map((s) => s.trim())
      .includes('otlp')
  )
    sdkDisabled = `OTEL_TRACES_EXPORTER=${tracesExporter}`;
  return {
    optionEndpoint: options.endpoint?.trim() || undefined,
    envEndpoint: env('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? env('OTEL_EXPORTER_OTLP_ENDPOINT'),
    protocol: isOtlpProtocol(requested) ? requested : 'http/protobuf',
    serviceName: options.serviceName,
    sdkDisabled,
  };
}

/** The traces URL an OTLP/HTTP base endpoint stands for (what the exporter does with the env base URL). */
export function tracesUrl(base: string, protocol: OtlpProtocol): string {
  if (protocol === 'grpc') return base;
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

export function otelDisabledByEnv(): boolean {
  return env('CACHESCOPE_OTEL') === '0' || env('CACHESCOPE_OTEL')?.toLowerCase() === 'false';
}
