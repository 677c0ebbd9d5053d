/**
 * The events held in the browser: ordered by id, deduplicated by id, bounded (oldest trimmed and counted).
 * Mutable on purpose (the id set is not state anyone renders); `events` is a new array after every change.
 */
import type { CacheScopeEvent } from './types.js';

export class EventLog {
  private ids = new Set<number>();
  /** Highest id trimmed away: ids at or below it are not taken again (a late replay would resurrect them). */
  private floor = 0;
  events: readonly CacheScopeEvent[] = [];
  /** Events trimmed because more than `cap` were held. */
  trimmed = 0;

  constructor(readonly cap: number) {}

  get lastId(): number {
    const n = this.events.length;
    return n > 0 ? this.events[n - 1]!.id : this.floor;
  }

  /** Takes the events not already held; returns how many were new (0: nothing changed). */
  add(incoming: readonly CacheScopeEvent[]): number {
    const fresh: CacheScopeEvent[] = [];
    let sorted = true;
    let prev = this.events.length > 0 ? this.events[this.events.length - 1]!.id : Number.NEGATIVE_INFINITY;
    for (const event of incoming) {
      if (event === null || typeof event !== 'object' || !Number.isFinite(event.id)) continue;
      if (event.id <= this.floor || this.ids.has(event.id)) continue;
      this.ids.add(event.id);
      if (event.id < prev) sorted = false;
      prev = event.id;
      fresh.push(event);
    }
    if (fresh.length === 0) return 0;
    let next = sorted ? this.events.concat(fresh) : mergeById(this.events, fresh);
    if (next.length > this.cap) {
      const cut = next.length - this.cap;
      for (let i = 0; i < cut; i++) this.ids.delete(next[i]!.id);
      this.floor = Math.max(this.floor, next[cut - 1]!.id);
      this.trimmed += cut;
      next = next.slice(cut);
    }
    this.events = next;
    return fresh.length;
  }

  reset(): void {
    this.ids = new Set();
    this.floor = 0;
    this.events = [];
    this.trimmed = 0;
  }
}

/** Both inputs' events in id order (`held` is sorted; `fresh` may not be). */
function mergeById(held: readonly CacheScopeEvent[], fresh: CacheScopeEvent[]): CacheScopeEvent[] {
  fresh.sort((a, b) => a.id - b.id);
  const out: CacheScopeEvent[] = new Array(held.length + fresh.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < held.length && j < fresh.length) out[k++] = held[i]!.id < fresh[j]!.id ? held[i++]! : fresh[j++]!;
  while (i < held.length) out[k++] = held[i++]!;
  while (j < fresh.length) out[k++] = fresh[j++]!;
  return out;
}
