// Turning cachescope's spans on (loaded only then: it pulls in @opentelemetry/api, and the SDK when
// cachescope has to start one).
import type { Recorder } from '../recorder/global.js';
import { packageVersion } from '../stream/version.js';
import { activeSpanContext, lazyTracer } from './api.js';
import { createBridge, type BridgeSource } from './bridge.js';
import { CacheScopeSpanProcessor } from './processor.js';
import { startSdk } from './sdk.js';
import { otelState, type OtelMode, type ResolvedOtelConfig } from './state.js';

export type OtelDeps = {
  recorder: Recorder;
  /** The pipeline: appended batches and the current findings. */
  source: BridgeSource;
  log: (message: string) => void;
};

export const TRACER_NAME = '@cachescope/instrument';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * From now on the hooks note the active span where they run (one context read per hook), and every
 * flushed batch becomes spans. In `sdk` mode cachescope first starts NodeSDK; in `app` mode the spans
 * go through the provider the app registered.
 */
export function activateOtel(mode: OtelMode, config: ResolvedOtelConfig, deps: OtelDeps): boolean {
  const state = otelState();
  if (state.mode) return false;
  // Before the processor exists: its constructor calls state.activate.
  state.mode = mode;
  state.activate = undefined;
  let stopSdk: (() => Promise<void>) | undefined;
  if (mode === 'sdk') {
    try {
      const sdk = startSdk(config, new CacheScopeSpanProcessor(), {
        log: deps.log,
        fault: (error) => deps.recorder.fault('otel.export', error),
      });
      stopSdk = sdk.shutdown;
      deps.log(
        `OpenTelemetry: exporting traces to ${sdk.endpoint} (${config.protocol}) as service "${sdk.serviceName ?? 'unknown_service'}"`,
      );
    } catch (error) {
      state.mode = undefined;
      deps.recorder.fault('otel.sdk', error);
      deps.log(`OpenTelemetry SDK not started: ${message(error)}`);
      return false;
    }
  } else {
    deps.log(
      "OpenTelemetry: using the app's tracer provider" +
        (state.processorAttached
          ? ''
          : "; add cacheScopeSpanProcessor() from '@cachescope/instrument/otel' to it to copy Next's fetch cache status onto cachescope's spans"),
    );
  }
  if (process.env.NEXT_OTEL_FETCH_DISABLED === '1') {
    deps.log(
      "Next's fetch spans are off (NEXT_OTEL_FETCH_DISABLED=1, set by @vercel/otel): cachescope's fetch spans carry the cache decision on their own",
    );
  }

  const { recorder } = deps;
  const baseContext = recorder.context;
  recorder.context = () => {
    const ctx = baseContext();
    const span = activeSpanContext();
    // contexts are shared per work unit: the span (per call) goes on a copy
    return span ? { ...ctx, span } : ctx;
  };
  const bridge = createBridge(deps.source, lazyTracer(TRACER_NAME, packageVersion()), {
    onError: (error) => recorder.fault('otel.bridge', error),
  });

  state.shutdown = async () => {
    bridge.stop();
    recorder.context = baseContext;
    state.mode = undefined;
    state.shutdown = undefined;
    await stopSdk?.();
  };
  return true;
}
