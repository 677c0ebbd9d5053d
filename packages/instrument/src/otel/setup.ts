// registerCacheScope's single call into the OTel side. Decides, without loading any OTel code, whether
// cachescope emits spans, and how:
// - a tracer provider is already registered (the app's NodeSDK, @vercel/otel's registerOTel), or the
//   app added cacheScopeSpanProcessor(): spans go through that provider; cachescope never registers a
//   second one;
// - else an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT or the `otel.endpoint`
//   option): cachescope starts NodeSDK itself;
// - else nothing is loaded and the hooks do no OTel work. A span processor constructed later (the app
//   registers its provider after registerCacheScope) still turns the spans on.
import type { OtelDeps } from './runtime.js';
import {
  hasRegisteredTracerProvider,
  otelDisabledByEnv,
  otelState,
  resolveOtelConfig,
  type CacheScopeOtelOptions,
  type OtelMode,
} from './state.js';

export type { CacheScopeOtelOptions } from './state.js';

export async function setupCacheScopeOtel(
  option: CacheScopeOtelOptions | false | undefined,
  deps: OtelDeps,
): Promise<OtelMode | undefined> {
  try {
    return await setup(option, deps);
  } catch (error) {
    deps.recorder.fault('otel', error);
    return undefined;
  }
}

async function setup(option: CacheScopeOtelOptions | false | undefined, deps: OtelDeps): Promise<OtelMode | undefined> {
  if (option === false || otelDisabledByEnv()) return undefined;
  const state = otelState();
  if (state.mode) return state.mode;
  const config = resolveOtelConfig(option ?? {});
  const activate = async (mode: OtelMode): Promise<OtelMode | undefined> => {
    try {
      const { activateOtel } = await import('./runtime.js');
      return activateOtel(mode, config, deps) ? mode : undefined;
    } catch (error) {
      deps.recorder.fault('otel', error);
      deps.log(`OpenTelemetry export not started: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };

  if (hasRegisteredTracerProvider() || state.processorAttached) return activate('app');
  const endpoint = config.optionEndpoint ?? config.envEndpoint;
  if (endpoint && !config.sdkDisabled) return activate('sdk');
  if (endpoint) deps.log(`an OTLP endpoint is set but ${config.sdkDisabled}: cachescope exports no spans`);
  state.activate = () => void activate('app');
  return undefined;
}
