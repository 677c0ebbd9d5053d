/**
 * cachescope's own problems (the server's `internalErrors`: an OTLP endpoint that fails, a hook that threw…),
 * as the lines the overlay's banner shows: one per distinct fault, with how often it happened.
 */
import type { InternalErrorSummary } from './types.js';

export interface ProblemLine {
  /** `where` + message: what a dismissal remembers. */
  key: string;
  where: string;
  message: string;
  count: number;
  /** `otel.export: OTLP export to http://… failed: HTTP 500 Internal Server Error (×3)` */
  text: string;
}

/** Lines shown before the rest is summed up as "and N more". */
export const MAX_PROBLEM_LINES = 5;

/** Valid entries only (the snapshot may come from an imported file), merged by key, in the server's order. */
export function problemLines(errors: readonly InternalErrorSummary[] | undefined): ProblemLine[] {
  if (!Array.isArray(errors)) return [];
  const byKey = new Map<string, ProblemLine>();
  for (const e of errors) {
    if (!e || typeof e.where !== 'string' || typeof e.message !== 'string') continue;
    // Errors reach the server as `Name: message`; a plain `Error: ` adds nothing to read.
    const message = e.message.replace(/^Error: /, '');
    const count = typeof e.count === 'number' && e.count > 0 ? e.count : 1;
    const key = `${e.where}\u0000${message}`;
    const held = byKey.get(key);
    if (held) held.count += count;
    else byKey.set(key, { key, where: e.where, message, count, text: '' });
  }
  const lines = [...byKey.values()];
  for (const line of lines) line.text = `${line.where}: ${line.message} (×${line.count})`;
  return lines;
}

export function problemsHeadline(lines: readonly ProblemLine[]): string {
  return `cachescope: ${lines.length} internal problem${lines.length === 1 ? '' : 's'}`;
}

/** Shown while some problem was not dismissed yet (a new kind of fault brings the banner back). */
export function hasUndismissed(lines: readonly ProblemLine[], dismissed: readonly string[]): boolean {
  return lines.some((line) => !dismissed.includes(line.key));
}
