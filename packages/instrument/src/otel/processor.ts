// The span processor an app adds to its own tracer provider. It does two things:
// - it tells cachescope that a provider is (about to be) registered, so cachescope emits its spans
//   through it even when the app registered the provider after registerCacheScope() ran;
// - it reads Next's own fetch cache report (`next.fetch.cache_status` / `cache_reason`, Next 16.3+) off
//   Next's `AppRender.fetch` spans and hands it to the fetch call cachescope is recording. `onEnd` runs
//   in the fetch's async context (research §2.6), where the recorder's call frame is the running fetch.
// With NEXT_OTEL_FETCH_DISABLED=1 (set by @vercel/otel) or on 16.0–16.2 there is nothing to read, and
// cachescope's fetch spans carry the decision alone.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getRecorder } from '../recorder/global.js';
import { otelState } from './state.js';

const NEXT_FETCH_SPAN_TYPE = 'AppRender.fetch';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

export class CacheScopeSpanProcessor implements SpanProcessor {
  constructor() {
    const state = otelState();
    state.processorAttached = true;
    try {
      state.activate?.();
    } catch {
      // activation is best effort; the app's provider works either way
    }
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const attributes = span.attributes;
    if (attributes['next.span_type'] !== NEXT_FETCH_SPAN_TYPE) return;
    try {
      const recorder = getRecorder();
      const url = attributes['http.url'];
      if (!recorder || typeof url !== 'string') return;
      const frame = recorder.calls.awaitingNextReport(recorder.work?.(), url);
      if (!frame) return;
      frame.next = {
        status: str(attributes['next.fetch.cache_status']),
        reason: str(attributes['next.fetch.cache_reason']),
      };
    } catch {
      // never break the app's span pipeline
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** `spanProcessors: [yourExporterProcessor, cacheScopeSpanProcessor()]` in the app's NodeSDK / registerOTel. */
export function cacheScopeSpanProcessor(): CacheScopeSpanProcessor {
  return new CacheScopeSpanProcessor();
}
