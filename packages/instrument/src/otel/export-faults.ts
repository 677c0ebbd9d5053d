// What cachescope does when the OTLP endpoint fails (nothing listens, it never answers, it answers 500):
// the app never notices, the batch span processor drops the batch as it would anyway, and cachescope says
// so ONCE, in its log and as an `otel.export` internal error (overlay, snapshot, CLI). Without this the
// failure goes to OpenTelemetry's diag logger, which is off by default: spans silently never arrive.
import { redactText } from '../analysis/redact.js';

export type ExportResult = { code: number; error?: Error };
export type Exporter = { export(spans: unknown[], done: (result: ExportResult) => void): void };

export type ExportFaultSinks = {
  /** cachescope's log (one line, the first failure only). */
  log: (message: string) => void;
  /** recorder.fault('otel.export', …): the first one becomes an `internal-error` event, later ones are counted. */
  fault: (error: Error) => void;
};

const EXPORT_FAILED = 1; // ExportResultCode.FAILED

/** `HTTP 500 Internal Server Error`, `connect ECONNREFUSED 127.0.0.1:4318`, `Request timed out`: never the response body. */
export function describeExportError(error: unknown): string {
  if (!(error instanceof Error)) return error === undefined ? 'unknown error' : String(error);
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number') return `HTTP ${status}${error.message ? ` ${error.message}` : ''}`;
  return error.message || error.name || 'unknown error';
}

/** The error cachescope reports: which endpoint, what went wrong. Redacted (an endpoint may carry a token). */
export function exportFault(endpoint: string, error: unknown): Error {
  return new Error(redactText(`OTLP export to ${endpoint} failed: ${describeExportError(error)}`));
}

/**
 * Wraps `exporter.export` so every failed result is reported (the first in the log, all counted by the
 * recorder) before the span processor sees it. `transform` runs on the spans first (redaction). Never
 * throws into the SDK: a throwing exporter becomes a failed result, and reporting cannot fail the call.
 */
export function watchExportFaults(
  exporter: Exporter,
  endpoint: string,
  sinks: ExportFaultSinks,
  transform: (spans: unknown[]) => unknown[] = (s) => s,
): void {
  let logged = false;
  const report = (error: unknown) => {
    try {
      const fault = exportFault(endpoint, error);
      sinks.fault(fault);
      if (!logged) {
        logged = true;
        sinks.log(`${fault.message} (reported once; is the collector running and reachable?)`);
      }
    } catch {
      // reporting must never fail the export callback
    }
  };
  const exportSpans = exporter.export.bind(exporter);
  exporter.export = (spans, done) => {
    let settled = false;
    const finish = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      if (result.code !== 0) report(result.error);
      done(result);
    };
    try {
      exportSpans(transform(spans), finish);
    } catch (error) {
      finish({ code: EXPORT_FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  };
}
