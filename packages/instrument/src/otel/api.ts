// Version-tolerant access to the registered context manager and tracer provider. `@opentelemetry/api`
// refuses a global registered by an older minor (a 1.9 copy cannot read what Next's bundled 1.6 copy,
// or an app's aliased copy, registered), which would silently turn our spans into no-ops in some
// bundling setups. The registry's `context` and `trace` slots have had the same shape across 1.x, so
// we read them directly; context keys are `Symbol.for` keys and work across copies.
import { ROOT_CONTEXT, trace, type Context, type SpanContext, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { apiRegistry } from './state.js';

type ContextManagerLike = { active(): Context };

const INVALID_SPAN_ID = '0000000000000000';

/** The active span's context where the hook runs, or undefined (no provider, or no span). Hot path. */
export function activeSpanContext(): SpanContext | undefined {
  const manager = apiRegistry()?.context as ContextManagerLike | undefined;
  if (!manager) return undefined;
  const sc = trace.getSpanContext(manager.active());
  return sc && sc.spanId !== INVALID_SPAN_ID ? sc : undefined;
}

export function registeredTracerProvider(): TracerProvider | undefined {
  return apiRegistry()?.trace as TracerProvider | undefined;
}

export type SpanStarter = Pick<Tracer, 'startSpan'>;

/**
 * A tracer that resolves the registered provider on every use (cheaply): the app may register its
 * provider after cachescope started (its span processor then activates us).
 */
export function lazyTracer(name: string, version?: string): SpanStarter {
  let cached: { provider: TracerProvider; tracer: Tracer } | undefined;
  return {
    startSpan(spanName, options, context) {
      const provider = registeredTracerProvider() ?? trace.getTracerProvider();
      if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer(name, version) };
      return cached.tracer.startSpan(spanName, options, context);
    },
  };
}

/** A parent context holding only a captured span context (the request's span, seen at hook time). */
export function parentContext(span: SpanContext | undefined): Context {
  return span ? trace.setSpanContext(ROOT_CONTEXT, span) : ROOT_CONTEXT;
}
