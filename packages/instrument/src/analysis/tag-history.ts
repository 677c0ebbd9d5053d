/**
 * Every tag cachescope has seen declared, attached, dropped, revalidated or carried by an entry, with
 * counters and a short history: what an orphaned-tag finding needs to name its cause.
 * Bounded: past `maxTags` the least recently seen tag is forgotten.
 */
import type { TagHistoryItem, TagHistoryKind, TagLimit, WorkUnit } from '../protocol/events.js';

export const DEFAULT_MAX_TAGS = 10_000;
export const DEFAULT_HISTORY_PER_TAG = 20;

/** The last call that declared the tag but reached no cache (or reached one that Next stored without the tag). */
export interface DropInfo {
  eventId: number;
  reason: string;
  forwardedCredentials: boolean;
  workUnit?: WorkUnit;
  /** Next's tag limit left it off an entry the call did reach. */
  limit?: TagLimit;
}

export interface TagRecord {
  tag: string;
  declared: number;
  attached: number;
  dropped: number;
  revalidated: number;
  /** Entries carrying the tag that entered the index. */
  entriesAdded: number;
  lastDropReason?: string;
  lastDrop?: DropInfo;
  /** The last time an entry carrying the tag went away, and why. */
  lastLoss?: TagHistoryItem;
  history: TagHistoryItem[];
  firstTs: number;
  lastTs: number;
}

const LOSSES: ReadonlySet<TagHistoryKind> = new Set<TagHistoryKind>(['entry-expired', 'entry-revalidated', 'entry-gone', 'entry-evicted']);

export interface TagHistoryOptions {
  maxTags?: number;
  historyPerTag?: number;
}

export class TagHistory {
  private readonly records = new Map<string, TagRecord>();
  private readonly maxTags: number;
  private readonly historyPerTag: number;

  constructor(options: TagHistoryOptions = {}) {
    this.maxTags = options.maxTags ?? DEFAULT_MAX_TAGS;
    this.historyPerTag = options.historyPerTag ?? DEFAULT_HISTORY_PER_TAG;
  }

  get size(): number {
    return this.records.size;
  }

  get(tag: string): TagRecord | undefined {
    return this.records.get(tag);
  }

  note(tag: string, what: TagHistoryKind, eventId: number, ts: number, detail?: string): TagRecord {
    let rec = this.records.get(tag);
    if (rec) {
      this.records.delete(tag);
    } else {
      rec = { tag, declared: 0, attached: 0, dropped: 0, revalidated: 0, entriesAdded: 0, history: [], firstTs: ts, lastTs: ts };
    }
    this.records.set(tag, rec);
    rec.lastTs = ts;
    const item: TagHistoryItem = detail === undefined ? { what, eventId, ts } : { what, eventId, ts, detail };
    switch (what) {
      case 'declared':
        rec.declared++;
        break;
      case 'attached':
        rec.attached++;
        break;
      case 'dropped':
        rec.dropped++;
        rec.lastDropReason = detail;
        break;
      case 'revalidated':
        rec.revalidated++;
        break;
      case 'entry-added':
        rec.entriesAdded++;
        break;
      default:
        if (LOSSES.has(what)) rec.lastLoss = item;
    }
    rec.history.push(item);
    if (rec.history.length > this.historyPerTag) rec.history.shift();
    while (this.records.size > this.maxTags) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
    }
    return rec;
  }

  /** Tags a call or an entry ever carried (candidates for "did you mean"). */
  *knownTags(): Iterable<string> {
    for (const rec of this.records.values()) {
      if (rec.declared > 0 || rec.attached > 0 || rec.entriesAdded > 0) yield rec.tag;
    }
  }

  all(): TagRecord[] {
    return [...this.records.values()];
  }

  clear(): void {
    this.records.clear();
  }
}
