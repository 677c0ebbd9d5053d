/**
 * Reading a source from a cursor: what is new, what was missed, and ids that restarted.
 * Shared by the SSE clients and the forwarder.
 */
import type { StreamEvent, StreamSource } from './types.js';

type Readable<E extends StreamEvent> = Pick<StreamSource<E, unknown>, 'since' | 'lastId'>;

/** Newest id the source has assigned: `lastId()` when the source has it, else derived from `since(0)`. */
export function latestId<E extends StreamEvent>(source: Readable<E>): number {
  if (typeof source.lastId === 'function') return source.lastId();
  const all = source.since(0);
  return all.length > 0 ? all[all.length - 1]!.id : 0;
}

export interface Missed {
  from: number;
  to: number;
  count: number;
}

export interface Pull<E extends StreamEvent> {
  events: readonly E[];
  /** Ids after the cursor that the buffer no longer holds. */
  missed: Missed | null;
  /** Where the cursor stands once `events` are delivered. */
  cursor: number;
}

/** Everything after `cursor`. A cursor beyond the newest id means ids restarted: read from the start. */
export function pull<E extends StreamEvent>(source: Readable<E>, cursor: number): Pull<E> {
  const latest = latestId(source);
  const from = cursor > latest ? 0 : cursor;
  const events = source.since(from);
  if (events.length === 0) return { events, missed: null, cursor: Math.max(from, latest) };
  const first = events[0]!.id;
  const missed = first > from + 1 ? { from: from + 1, to: first - 1, count: first - from - 1 } : null;
  return { events, missed, cursor: events[events.length - 1]!.id };
}
