/**
 * The tag index: which live cache entries carry which tag. It is what turns "revalidateTag was called"
 * into "revalidateTag reached these entries" (or none: a no-op).
 *
 * Fed from handler writes, handler read hits (entries written by another process or by `next build`),
 * the disk seed, and revalidation commits. Matching covers explicit tags and the soft (`_N_T_`) tags an
 * entry was read with, so `revalidatePath` commits match too. Bounded: least recently used entries are
 * evicted past `maxEntries`. Every operation is O(tags of the call + entries touched).
 */
import type { EntryKind, EntrySummary, MatchedEntry } from '../protocol/events.js';

export const DEFAULT_MAX_ENTRIES = 10_000;

/** An index entry is what a snapshot shows of it, plus the revalidation that made it stale. */
export interface IndexEntry extends EntrySummary {
  /** Id of the stale-while-revalidate revalidation that made it stale, until its first read. */
  staleBy?: number;
}

export interface EntryInput {
  key: string;
  kind: EntryKind;
  tags: readonly string[];
  softTags?: readonly string[];
  route?: string;
  scope?: string;
  expireAt?: number;
  ts: number;
  source: IndexEntry['source'];
}

export interface UpsertResult {
  entry: IndexEntry;
  /** True when the key was not live in the index before. */
  added: boolean;
  /** Entries pushed out by the size cap. */
  evicted: IndexEntry[];
}

export interface MatchResult {
  matched: MatchedEntry[];
  entries: IndexEntry[];
  /** Entries carrying a matched tag that were past `expireAt` (now removed from the index). */
  expired: IndexEntry[];
}

export interface TagIndexOptions {
  maxEntries?: number;
}

function isLive(entry: IndexEntry, now: number): boolean {
  return entry.expireAt === undefined || now < entry.expireAt;
}

function addLink(map: Map<string, Set<string>>, tag: string, key: string): void {
  let keys = map.get(tag);
  if (!keys) {
    keys = new Set();
    map.set(tag, keys);
  }
  keys.add(key);
}

function removeLink(map: Map<string, Set<string>>, tag: string, key: string): void {
  const keys = map.get(tag);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) map.delete(tag);
}

function union(a: readonly string[], b: readonly string[] | undefined): string[] {
  if (!b || b.length === 0) return [...a];
  const out = new Set(a);
  for (const t of b) out.add(t);
  return [...out];
}

export function toEntrySummary(entry: IndexEntry): EntrySummary {
  const { key, kind, route, scope, createdAt, expireAt, tags, softTags, state, source } = entry;
  return { key, kind, route, scope, createdAt, expireAt, tags: [...tags], softTags: [...softTags], state, source };
}

export class TagIndex {
  readonly maxEntries: number;
  /** Insertion order doubles as LRU order (touched entries are re-inserted). */
  private readonly entries = new Map<string, IndexEntry>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly bySoftTag = new Map<string, Set<string>>();
  private evictedCount = 0;

  constructor(options: TagIndexOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries evicted by the size cap since construction or the last `clear`. */
  get evicted(): number {
    return this.evictedCount;
  }

  get(key: string): IndexEntry | undefined {
    return this.entries.get(key);
  }

  /** A write (handler `set`) or a seed: the entry now exists, fresh, with exactly these tags. */
  upsert(input: EntryInput): UpsertResult {
    const prev = this.entries.get(input.key);
    const live = prev !== undefined && isLive(prev, input.ts);
    if (prev) this.unlink(prev);
    const entry: IndexEntry = {
      key: input.key,
      kind: input.kind,
      route: input.route ?? prev?.route,
      scope: input.scope ?? prev?.scope,
      createdAt: input.ts,
      expireAt: input.expireAt,
      tags: [...new Set(input.tags)],
      softTags: union(prev?.softTags ?? [], input.softTags),
      state: 'fresh',
      source: input.source,
    };
    this.link(entry);
    return { entry, added: !live, evicted: this.enforceCap() };
  }

  /**
   * A read that found an entry: refresh its LRU position and learn the soft tags it was read with. An
   * entry the index did not know (written by `next build` or another process) is learned here.
   */
  learnFromRead(input: EntryInput): UpsertResult {
    const prev = this.entries.get(input.key);
    if (!prev || !isLive(prev, input.ts)) return this.upsert(input);
    this.entries.delete(prev.key);
    this.entries.set(prev.key, prev);
    for (const t of input.softTags ?? []) {
      if (!prev.softTags.includes(t)) {
        prev.softTags.push(t);
        addLink(this.bySoftTag, t, prev.key);
      }
    }
    for (const t of input.tags) {
      if (!prev.tags.includes(t)) {
        prev.tags.push(t);
        addLink(this.byTag, t, prev.key);
      }
    }
    if (input.expireAt !== undefined) prev.expireAt = input.expireAt;
    return { entry: prev, added: false, evicted: [] };
  }

  remove(key: string): IndexEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) this.unlink(entry);
    return entry;
  }

  /**
   * Live entries carrying any of `tags`, explicitly or as a soft tag. Entries found past their
   * `expireAt` are removed and reported in `expired`. Each entry is reported once (first matching tag,
   * explicit before soft).
   */
  match(tags: readonly string[], now: number): MatchResult {
    const seen = new Set<string>();
    const result: MatchResult = { matched: [], entries: [], expired: [] };
    for (const via of ['tag', 'soft-tag'] as const) {
      const map = via === 'tag' ? this.byTag : this.bySoftTag;
      for (const tag of tags) {
        const keys = map.get(tag);
        if (!keys) continue;
        for (const key of [...keys]) {
          if (seen.has(key)) continue;
          const entry = this.entries.get(key);
          if (!entry) continue;
          seen.add(key);
          if (!isLive(entry, now)) {
            this.unlink(entry);
            result.expired.push(entry);
            continue;
          }
          result.entries.push(entry);
          result.matched.push({ key, kind: entry.kind, route: entry.route, scope: entry.scope, via, tag });
        }
      }
    }
    return result;
  }

  /** Live entries carrying `tag` (explicitly or as a soft tag). */
  entriesForTag(tag: string, now: number): IndexEntry[] {
    const out: IndexEntry[] = [];
    const seen = new Set<string>();
    for (const map of [this.byTag, this.bySoftTag]) {
      for (const key of map.get(tag) ?? []) {
        const entry = this.entries.get(key);
        if (entry && !seen.has(key) && isLive(entry, now)) {
          seen.add(key);
          out.push(entry);
        }
      }
    }
    return out;
  }

  hasLive(tag: string, now: number): boolean {
    for (const map of [this.byTag, this.bySoftTag]) {
      for (const key of map.get(tag) ?? []) {
        const entry = this.entries.get(key);
        if (entry && isLive(entry, now)) return true;
      }
    }
    return false;
  }

  /** Stale-while-revalidate commit: the entries stay (served stale once, then refreshed). */
  markStale(entries: readonly IndexEntry[], revalidationId: number): void {
    for (const entry of entries) {
      entry.state = 'stale';
      entry.staleBy = revalidationId;
    }
  }

  /** Expire-now commit: the entries are gone until rewritten. */
  expire(entries: readonly IndexEntry[]): void {
    for (const entry of entries) this.remove(entry.key);
  }

  /** Explicit tags carried by at least one indexed entry. */
  tags(): IterableIterator<string> {
    return this.byTag.keys();
  }

  all(now: number): IndexEntry[] {
    return [...this.entries.values()].filter((e) => isLive(e, now));
  }

  private link(entry: IndexEntry): void {
    this.entries.set(entry.key, entry);
    for (const t of entry.tags) addLink(this.byTag, t, entry.key);
    for (const t of entry.softTags) addLink(this.bySoftTag, t, entry.key);
  }

  private unlink(entry: IndexEntry): void {
    this.entries.delete(entry.key);
    for (const t of entry.tags) removeLink(this.byTag, t, entry.key);
    for (const t of entry.softTags) removeLink(this.bySoftTag, t, entry.key);
  }

  private enforceCap(): IndexEntry[] {
    const evicted: IndexEntry[] = [];
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.values().next().value as IndexEntry;
      this.unlink(oldest);
      evicted.push(oldest);
      this.evictedCount++;
    }
    return evicted;
  }
}
