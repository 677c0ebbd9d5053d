/**
 * A bounded ring buffer of items carrying an increasing `id`, for event retention and SSE replay.
 * When full, `push` overwrites the oldest item and counts it in `dropped`.
 */

export const DEFAULT_RING_CAPACITY = 5000;

export class RingBuffer<T extends { id: number }> {
  readonly capacity: number;
  private readonly items: Array<T | undefined>;
  /** Index of the oldest item. */
  private head = 0;
  private length = 0;
  private droppedCount = 0;
  /** False once an id arrived out of order; `since` then scans instead of bisecting. */
  private ordered = true;

  constructor(capacity: number = DEFAULT_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Items overwritten since construction or the last `clear`. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Id of the oldest retained item. */
  get oldestId(): number | undefined {
    return this.length === 0 ? undefined : this.at(0).id;
  }

  get newestId(): number | undefined {
    return this.length === 0 ? undefined : this.at(this.length - 1).id;
  }

  /** Appends; returns the overwritten item when the buffer was full. */
  push(item: T): T | undefined {
    const newest = this.newestId;
    if (newest !== undefined && item.id <= newest) this.ordered = false;
    if (this.length < this.capacity) {
      this.items[(this.head + this.length) % this.capacity] = item;
      this.length++;
      return undefined;
    }
    const overwritten = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    this.droppedCount++;
    return overwritten;
  }

  /**
   * Retained items with `id > afterId`, oldest first (replay for `Last-Event-ID`). If `afterId` is older
   * than everything retained, returns all retained items: compare `oldestId` to detect the gap.
   */
  since(afterId: number): T[] {
    if (!this.ordered) return this.toArray().filter((item) => item.id > afterId);
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < this.length; i++) out.push(this.at(i));
    return out;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i));
    return out;
  }

  /** Empties the buffer and resets `dropped`. */
  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.length = 0;
    this.droppedCount = 0;
    this.ordered = true;
  }

  private at(logical: number): T {
    return this.items[(this.head + logical) % this.capacity] as T;
  }
}
