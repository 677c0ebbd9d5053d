/**
 * Bounded memos for pure string functions on the flush path (hashing, redaction): the same URLs,
 * cookies, cache keys and call sites come back on every request, and sha256 + regex passes cost
 * microseconds each. Past `max` entries a memo starts over (no LRU bookkeeping); keys longer than
 * `maxLength` are not kept, so a memo stays within max × maxLength characters. Process memory only,
 * like the values it is computed from.
 */
export class Memo {
  private memo = new Map<string, string>();

  constructor(
    private readonly max = 2_048,
    private readonly maxLength = 1_024,
  ) {}

  /** The remembered value for `key`, or `compute()`'s (remembered when the key is short enough). */
  get(key: string, compute: () => string): string {
    let out = this.memo.get(key);
    if (out === undefined) {
      out = compute();
      if (key.length > this.maxLength) return out;
      if (this.memo.size >= this.max) this.memo = new Map();
      this.memo.set(key, out);
    }
    return out;
  }
}

/** `fn` remembered per argument. */
export function memoize(fn: (value: string) => string, max?: number, maxLength?: number): (value: string) => string {
  const memo = new Memo(max, maxLength);
  return (value) => memo.get(value, () => fn(value));
}
