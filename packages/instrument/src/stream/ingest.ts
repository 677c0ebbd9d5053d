/** `POST /ingest` bodies: `{ pid, app, events }` from a forwarding process. Validation only. */
import type { StreamEvent } from './types.js';

export interface IngestBody<E extends StreamEvent> {
  pid: number;
  /** The sender's app id (absent for a stream of no app). */
  app?: string;
  events: E[];
}

function isEvent(value: unknown): value is StreamEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.ts === 'number' && typeof v.id === 'number';
}

/** Parse and check a body; null when it is not an ingest body. Malformed events are left out. */
export function parseIngestBody<E extends StreamEvent>(text: string): IngestBody<E> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { pid, app, events } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || !Array.isArray(events)) return null;
  if (app !== undefined && typeof app !== 'string') return null;
  return { pid, ...(app === undefined ? {} : { app }), events: events.filter(isEvent) as E[] };
}
