/**
 * The analysis: ingests events one at a time (at flush time, never on the hot path), keeps the tag
 * index, the tag histories, the revalidations and the findings current. The events themselves are kept by
 * the caller (the pipeline's ring). Each event costs O(its tags + the entries it touches).
 *
 * `ingest` never throws: an analysis failure is counted as an internal error and the event is kept.
 */
import type {
  CacheGetEvent,
  CacheScopeEvent,
  CacheSetEvent,
  FetchEvent,
  Finding,
  InternalErrorSummary,
  MatchedEntry,
  Revalidation,
  RevalidateCallEvent,
  RevalidationCommitEvent,
  SeedEntryEvent,
  Snapshot,
  TagHistoryKind,
  TagSummary,
  UnstableCacheEvent,
  UseCacheEvent,
  WorkUnit,
} from '../protocol/events.js';
import { SCHEMA_VERSION } from '../protocol/events.js';
import { closestTag } from './edit-distance.js';
import {
  blastRadius,
  broadRevalidationFinding,
  deprecatedSingleArgFinding,
  devArtefactFinding,
  mergeFinding,
  noopRevalidationFinding,
  orphanedTagFinding,
  revalidationKey,
  staleAfterRevalidateFinding,
} from './findings.js';
import type { OrphanInput } from './findings.js';
import { shortHash } from './hash.js';
import { redactText } from './redact.js';
import { RecentCommits } from './late-writes.js';
import { partialFleetFinding, type FleetReach } from './partial-fleet.js';
import { encodeHeaderSafe, isImplicitTag } from './revalidate-semantics.js';
import { revalidationNotes } from './revalidation-notes.js';
import { RevalidationTracker } from './revalidations.js';
import { TagHistory } from './tag-history.js';
import type { TagRecord } from './tag-history.js';
import { TagIndex, toEntrySummary } from './tag-index.js';
import { limitOf } from './tag-limits.js';
import type { IndexEntry, UpsertResult } from './tag-index.js';

export interface AnalyzerOptions {
  /** Clock for snapshots (events carry their own `ts`). */
  now?: () => number;
  /** Tag-index entries before LRU eviction (default 10,000). */
  maxEntries?: number;
  /** Tag histories kept (default 10,000). */
  maxTags?: number;
  /** Duplicate commits of one revalidation arrive within this window (default 50 ms). */
  coalesceWindowMs?: number;
  /** Without request ids, a call joins a commit on the same route within this window (default 10 s). */
  joinWindowMs?: number;
  maxRevalidations?: number;
  /** Distinct user scopes one revalidation must reach to be reported as broad (default 2). */
  broadScopeThreshold?: number;
  /** Entries listed per tag in a snapshot (default 50). */
  snapshotEntriesPerTag?: number;
}

const MAX_SOFT_TAG_MEMORY = 1000;
const MAX_WRITTEN_FORMS = 1000;
const MAX_KEY_PARTS = 1000;
const MAX_OUTCOMES = 5000;
const MAX_INTERNAL_ERRORS = 100;
const MAX_FLEET_REACH = 5000;

const LOSS_DETAIL: Partial<Record<TagHistoryKind, string>> = {
  'entry-expired': 'its entries passed their expire time',
  'entry-revalidated': 'an earlier revalidation expired them and nothing re-created them since',
  'entry-gone': 'a read found them gone from the cache',
};

type CallEvent = FetchEvent | UnstableCacheEvent | UseCacheEvent | CacheGetEvent;

/** An unstable_cache call that passed a string as a key part (`shortHash` of the string -> the call). */
interface KeyPartUse {
  eventId: number;
  fnName?: string;
}

/**
 * Tags as Next stores and invalidates them (16.5 percent-encodes non-ASCII characters when attaching and
 * when invalidating, PR #93601): the index and the histories key every tag this way, so a declared
 * `café` and a committed `caf%C3%A9` are one tag whichever form an event carries.
 */
function canonical(tags: readonly string[]): string[] {
  return tags.map(encodeHeaderSafe);
}

/** Bounded map: a touched key moves to the end, the oldest goes past `cap`. */
function remember<V>(map: Map<string, V>, key: string, value: V, cap: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > cap) map.delete(map.keys().next().value as string);
}

/** Reads in these units serve a stale entry as-is (others refetch in the foreground). */
/** A dropped tag is an orphan because Next's tag limit left it off, or because its call skipped the cache. */
const dropCause = (rec: TagRecord): 'over-tag-limit' | 'declared-on-uncached-call' =>
  rec.lastDrop?.limit ? 'over-tag-limit' : 'declared-on-uncached-call';

function servesStale(workUnit: WorkUnit | undefined): boolean {
  return workUnit === undefined || workUnit === 'request';
}

function readWasStale(ev: CallEvent): boolean {
  const result = ev.type === 'cache-get' ? ev.result : ev.decision;
  return result === 'stale' || (result === 'hit' && servesStale(ev.workUnit));
}

export class Analyzer {
  readonly index: TagIndex;
  private readonly history: TagHistory;
  private readonly tracker: RevalidationTracker;
  private readonly findingsById = new Map<string, Finding>();
  /** Per `api:tags`: how many revalidations matched nothing / something. */
  private readonly outcomes = new Map<string, { noops: number; effective: number }>();
  /** Soft tags seen on a miss, for the `set` that usually follows (set contexts carry none). */
  private readonly softTagsByKey = new Map<string, string[]>();
  /** Canonical tag -> the form the app wrote, for tags Next percent-encodes. */
  private readonly writtenForms = new Map<string, string>();
  private readonly keyParts = new Map<string, KeyPartUse>();
  private readonly recentCommits = new RecentCommits();
  private readonly fleetReach = new Map<string, FleetReach>();
  private readonly internalErrors = new Map<string, InternalErrorSummary>();
  private readonly now: () => number;
  private readonly broadScopeThreshold: number;
  private readonly snapshotEntriesPerTag: number;

  constructor(options: AnalyzerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.index = new TagIndex({ maxEntries: options.maxEntries });
    this.history = new TagHistory({ maxTags: options.maxTags });
    this.tracker = new RevalidationTracker(options);
    this.broadScopeThreshold = options.broadScopeThreshold ?? 2;
    this.snapshotEntriesPerTag = options.snapshotEntriesPerTag ?? 50;
  }

  /**
   * Analyses one event. A `revalidation-commit` is enriched
   * in place (`matched`, `coalescedInto`), so a caller that keeps the same object sees the result.
   */
  ingest(event: CacheScopeEvent): CacheScopeEvent {
    try {
      switch (event.type) {
        case 'fetch':
          this.onFetch(event);
          break;
        case 'unstable-cache':
        case 'use-cache':
          this.onCachedCall(event);
          break;
        case 'cache-get':
          this.onCacheGet(event);
          break;
        case 'cache-set':
        case 'seed-entry':
          this.onWrite(event);
          break;
        case 'revalidate-call':
          this.onRevalidateCall(event);
          break;
        case 'revalidation-commit':
          this.onCommit(event);
          this.noteFleetReach(event);
          break;
        case 'internal-error':
          this.countInternalError(event.where, event.message, event.count);
          break;
        case 'dynamic-api':
          break;
      }
    } catch (err) {
      this.countInternalError(`analysis:${event.type}`, err instanceof Error ? err.message : String(err), 1);
    }
    return event;
  }

  findings(): Finding[] {
    return [...this.findingsById.values()];
  }

  revalidations(): Revalidation[] {
    return this.tracker.list();
  }

  /** The whole state, with the events the caller keeps and how many it dropped. */
  snapshot(events: CacheScopeEvent[] = [], dropped = 0): Snapshot {
    const now = this.now();
    const tags: TagSummary[] = [];
    const listed = new Set<string>();
    const summarise = (tag: string, rec: TagRecord | undefined) => {
      const live = this.index.entriesForTag(tag, now);
      const summary: TagSummary = {
        tag,
        implicit: isImplicitTag(tag),
        liveEntries: live.length,
        entries: live.slice(0, this.snapshotEntriesPerTag).map(toEntrySummary),
        declared: rec?.declared ?? 0,
        attached: rec?.attached ?? 0,
        dropped: rec?.dropped ?? 0,
        revalidated: rec?.revalidated ?? 0,
        history: rec ? [...rec.history] : [],
      };
      if (rec?.lastDropReason !== undefined) summary.lastDropReason = rec.lastDropReason;
      const written = this.writtenForms.get(tag);
      if (written !== undefined) summary.written = written;
      tags.push(summary);
      listed.add(tag);
    };
    for (const rec of this.history.all()) summarise(rec.tag, rec);
    for (const tag of this.index.tags()) if (!listed.has(tag)) summarise(tag, undefined);
    return {
      schemaVersion: SCHEMA_VERSION,
      generatedAt: now,
      events,
      tags,
      revalidations: this.tracker.list().map((r) => ({ ...r, matched: [...r.matched], commitEventIds: [...r.commitEventIds] })),
      findings: this.findings(),
      dropped,
      index: { liveEntries: this.index.all(now).length, evicted: this.index.evicted },
      internalErrors: [...this.internalErrors.values()].map((e) => ({ ...e })),
    };
  }

  /**
   * Clears the view: findings, revalidations, tag histories, error counts. The tag index is kept: the
   * cache still holds those entries, and forgetting them would report false no-ops.
   */
  clear(): void {
    this.history.clear();
    this.tracker.clear();
    this.findingsById.clear();
    this.outcomes.clear();
    this.softTagsByKey.clear();
    this.writtenForms.clear();
    this.keyParts.clear();
    this.recentCommits.clear();
    this.internalErrors.clear();
  }

  // ─── per event type ───

  private onFetch(ev: FetchEvent): void {
    this.learnWrittenForms(ev.declared.tags);
    for (const t of canonical(ev.declared.tags ?? [])) this.history.note(t, 'declared', ev.id, ev.ts);
    const attached = canonical(ev.tagsAttached);
    for (const t of attached) this.history.note(t, 'attached', ev.id, ev.ts, ev.tagsAttachedTo);
    const forwardedCredentials = (ev.forwarded?.length ?? 0) > 0;
    for (const t of canonical(ev.tagsDropped)) {
      const reason = ev.dropReason ?? ev.reason;
      const rec = this.history.note(t, 'dropped', ev.id, ev.ts, reason);
      rec.lastDrop = { eventId: ev.id, reason: ev.reason, forwardedCredentials };
      if (ev.workUnit !== undefined) rec.lastDrop.workUnit = ev.workUnit;
      if (ev.tagsOverLimit?.includes(t)) rec.lastDrop.limit = limitOf(t);
      if (!this.index.hasLive(t, ev.ts)) {
        this.upsert(this.orphan(t, dropCause(rec), [ev.id], ev.ts, rec));
      }
    }
    if (ev.cacheKey && !ev.devArtefact && (ev.decision === 'hit' || ev.decision === 'stale')) {
      if (ev.tagsAttachedTo === 'own-entry') {
        this.afterUpsert(
          this.index.learnFromRead({
            key: ev.cacheKey,
            kind: 'FETCH',
            tags: attached,
            route: ev.route,
            scope: ev.scope,
            ts: ev.ts,
            source: 'get',
          }),
          ev,
        );
      }
      this.checkStaleRead(ev.cacheKey, ev);
    }
    if (ev.devArtefact) this.upsert(devArtefactFinding({ artefact: ev.devArtefact, eventId: ev.id, ts: ev.ts }));
  }

  private onCachedCall(ev: UnstableCacheEvent | UseCacheEvent): void {
    const entered = ev.decision === 'hit' || ev.decision === 'stale' || ev.decision === 'miss';
    if (ev.type === 'unstable-cache') {
      this.learnWrittenForms(ev.tags);
      for (const h of ev.keyPartHashes ?? []) remember(this.keyParts, h, { eventId: ev.id, fnName: ev.fnName }, MAX_KEY_PARTS);
    }
    for (const t of canonical(ev.tags)) {
      this.history.note(t, 'declared', ev.id, ev.ts);
      if (entered) this.history.note(t, 'attached', ev.id, ev.ts, 'own-entry');
    }
    if (ev.cacheKey && (ev.decision === 'hit' || ev.decision === 'stale')) this.checkStaleRead(ev.cacheKey, ev);
  }

  private onCacheGet(ev: CacheGetEvent): void {
    if (ev.result === 'miss') {
      const gone = this.index.remove(ev.key);
      if (gone) this.noteLoss(gone, 'entry-gone', ev.id, ev.ts);
      if (ev.softTags?.length) remember(this.softTagsByKey, ev.key, canonical(ev.softTags), MAX_SOFT_TAG_MEMORY);
      return;
    }
    this.afterUpsert(
      this.index.learnFromRead({
        key: ev.key,
        kind: ev.kind,
        tags: canonical(ev.tags),
        softTags: ev.softTags && canonical(ev.softTags),
        route: ev.route,
        scope: ev.scope,
        expireAt: ev.expireAt,
        ts: ev.ts,
        source: 'get',
      }),
      ev,
    );
    this.checkStaleRead(ev.key, ev);
    this.checkFleetRead(ev);
  }

  /** Cluster mode: which instance's revalidation reached which keys (see partial-fleet.ts). */
  private noteFleetReach(ev: RevalidationCommitEvent): void {
    if (ev.instance === undefined || !ev.matched?.length) return;
    for (const m of ev.matched) remember(this.fleetReach, m.key, { instance: ev.instance, ts: ev.ts, commitId: ev.id }, MAX_FLEET_REACH);
  }

  private checkFleetRead(ev: CacheGetEvent): void {
    if (ev.result !== 'hit' || ev.instance === undefined) return;
    const reach = this.fleetReach.get(ev.key);
    if (!reach || reach.instance === ev.instance || ev.ts <= reach.ts) return;
    const rev = this.tracker.list().find((r) => r.commitEventIds.includes(reach.commitId));
    if (!rev) return;
    const id = `partial-fleet-revalidation:${revalidationKey(rev)}`;
    const prev = this.findingsById.get(id);
    this.upsert(partialFleetFinding({ rev, reach, read: ev, previous: prev?.kind === 'partial-fleet-revalidation' ? prev : undefined }));
  }

  private onWrite(ev: CacheSetEvent | SeedEntryEvent): void {
    let softTags = ev.softTags && canonical(ev.softTags);
    if (ev.type === 'cache-set') {
      softTags ??= this.softTagsByKey.get(ev.key);
      this.softTagsByKey.delete(ev.key);
    }
    const result = this.index.upsert({
      key: ev.key,
      kind: ev.kind,
      tags: canonical(ev.tags),
      softTags,
      route: ev.route,
      scope: ev.type === 'cache-set' ? ev.scope : undefined,
      expireAt: ev.expireAt,
      ts: ev.ts,
      source: ev.type === 'cache-set' ? 'set' : 'seed',
    });
    this.afterUpsert(result, ev);
    if (ev.type === 'cache-set') this.applyEarlierCommits(result.entry, ev.createdAt ?? ev.ts);
  }

  /** A write reported after commits it preceded: those commits reached it (see late-writes.ts). */
  private applyEarlierCommits(entry: IndexEntry, writtenAt: number): void {
    for (const { commit, rev, matched } of this.recentCommits.liveAt(entry, writtenAt)) {
      if (!rev.matched.some((m) => m.key === entry.key)) {
        rev.matched = [...rev.matched, matched];
        rev.blast = blastRadius(rev.matched);
      }
      if (commit.mode === 'stale-while-revalidate') {
        this.index.markStale([entry], rev.id);
      } else if (this.index.remove(entry.key)) {
        this.noteLoss(entry, 'entry-revalidated', commit.id, commit.ts);
      }
    }
  }

  private onRevalidateCall(ev: RevalidateCallEvent): void {
    this.tracker.onCall(ev);
    if ((ev.api === 'revalidateTag' || ev.api === 'updateTag') && ev.args[0] !== undefined) this.learnWrittenForms([ev.args[0]]);
    if (ev.api === 'revalidateTag' && ev.profile === undefined && !ev.error && ev.tags[0] !== undefined) {
      this.upsert(deprecatedSingleArgFinding({ tag: ev.tags[0], shown: this.shown(ev.tags[0]), eventId: ev.id, ts: ev.ts }));
    }
  }

  private onCommit(ev: RevalidationCommitEvent): void {
    const routing = this.tracker.onCommit(ev);
    if (routing.kind === 'duplicate') {
      ev.matched = [];
      ev.coalescedInto = routing.primaryId;
      return;
    }

    for (const tag of ev.tags) this.history.note(tag, 'revalidated', ev.id, ev.ts, ev.mode);

    const reached = new Map<string, { entry: IndexEntry; matched: MatchedEntry }>();
    const unmatchedTags = new Map<Revalidation, string[]>();
    const rejudge = new Set<Revalidation>();
    for (const rev of routing.revalidations) {
      const result = this.index.match(rev.tags, ev.ts);
      for (const lost of result.expired) this.noteLoss(lost, 'entry-expired', ev.id, ev.ts);
      if (routing.recommitted.has(rev)) {
        // Committed again: what it reached now adds to what it reached before.
        if (rev.matched.length === 0 && result.matched.length > 0) rejudge.add(rev);
        const before = new Set(rev.matched.map((m) => m.key));
        rev.matched = [...rev.matched, ...result.matched.filter((m) => !before.has(m.key))];
      } else {
        rev.matched = result.matched;
        rejudge.add(rev);
      }
      rev.blast = blastRadius(rev.matched);
      result.entries.forEach((entry, i) => {
        if (!reached.has(entry.key)) reached.set(entry.key, { entry, matched: result.matched[i]! });
      });
      if (ev.mode === 'stale-while-revalidate') this.index.markStale(result.entries, rev.id);
      unmatchedTags.set(
        rev,
        rev.tags.filter((t) => !this.index.hasLive(t, ev.ts)),
      );
    }
    if (ev.mode === 'expire-now') {
      for (const { entry } of reached.values()) {
        this.index.remove(entry.key);
        this.noteLoss(entry, 'entry-revalidated', ev.id, ev.ts);
      }
    }
    ev.matched = [...reached.values()].map((r) => r.matched);
    const notes: string[] = [];
    for (const rev of routing.revalidations) {
      const revNotes = revalidationNotes(rev);
      if (revNotes.length) {
        rev.notes = revNotes;
        notes.push(...revNotes);
      }
    }
    if (notes.length) ev.notes = notes;
    this.recentCommits.add({ id: ev.id, ts: ev.ts, mode: ev.mode, revalidations: routing.revalidations });
    for (const rev of rejudge) this.judge(rev, ev, unmatchedTags.get(rev) ?? []);
  }

  // ─── findings ───

  private judge(rev: Revalidation, commit: RevalidationCommitEvent, unmatchedTags: readonly string[]): void {
    const evidence = rev.callEventId !== undefined ? [rev.callEventId, commit.id] : [commit.id];
    const outcomeKey = revalidationKey(rev);
    const outcome = this.outcomes.get(outcomeKey) ?? { noops: 0, effective: 0 };
    if (rev.matched.length === 0) outcome.noops++;
    else outcome.effective++;
    this.outcomes.delete(outcomeKey);
    this.outcomes.set(outcomeKey, outcome);
    if (this.outcomes.size > MAX_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value as string);

    const records = rev.tags.map((t) => this.history.get(t));
    // An entry our own index evicted may still be cached: no-op claims about its tags are not backed.
    const indexForgot = records.some((r) => r?.lastLoss?.what === 'entry-evicted');
    const noop = noopRevalidationFinding({
      rev,
      evidence,
      ts: commit.ts,
      noops: outcome.noops,
      effective: outcome.effective,
      tagWasDropped: records.some((r) => (r?.dropped ?? 0) > 0),
      tagWasKeyPart: rev.tags.some((t) => this.keyPartUse(t, this.history.get(t)) !== undefined),
      tagOverLimit: records.find((r) => r?.lastDrop?.limit)?.lastDrop?.limit,
    });
    if (rev.matched.length === 0 && !indexForgot) {
      this.upsert(noop);
    } else {
      const prev = this.findingsById.get(noop.id);
      // Same call, effective this time: keep the no-op history but re-word it with the new totals.
      if (prev)
        this.findingsById.set(noop.id, { ...noop, count: prev.count, firstTs: prev.firstTs, lastTs: prev.lastTs, evidence: prev.evidence });
    }

    if (rev.blast.scopes >= this.broadScopeThreshold) {
      this.upsert(broadRevalidationFinding({ rev, evidence, ts: commit.ts }));
    }

    for (const tag of unmatchedTags) {
      if (tag === '' || isImplicitTag(tag)) continue;
      const rec = this.history.get(tag);
      const orphan = this.orphanCauseAtCommit(tag, rec, evidence, commit.ts);
      if (orphan) this.upsert(orphan);
    }
  }

  private orphanCauseAtCommit(tag: string, rec: TagRecord | undefined, evidence: number[], ts: number): Finding | undefined {
    if (rec && rec.entriesAdded > 0) {
      if (rec.lastLoss?.what === 'entry-evicted') return undefined;
      const detail = rec.lastLoss ? LOSS_DETAIL[rec.lastLoss.what] : undefined;
      const ids = rec.lastLoss ? [rec.lastLoss.eventId, ...evidence] : evidence;
      return this.orphan(tag, 'all-entries-expired', ids, ts, rec, detail);
    }
    if (rec && rec.dropped > 0) {
      const ids = rec.lastDrop ? [rec.lastDrop.eventId, ...evidence] : evidence;
      return this.orphan(tag, dropCause(rec), ids, ts, rec);
    }
    if (!rec || (rec.declared === 0 && rec.attached === 0)) {
      return this.orphan(tag, 'revalidated-never-declared', evidence, ts, rec);
    }
    return undefined;
  }

  private orphan(
    tag: string,
    cause: OrphanInput['cause'],
    evidence: number[],
    ts: number,
    rec: TagRecord | undefined,
    lossDetail?: string,
  ): Finding {
    const input: OrphanInput = { tag, cause, evidence, ts };
    const shown = this.shown(tag);
    if (shown !== tag) input.shown = shown;
    if (cause === 'declared-on-uncached-call' && rec?.lastDrop) {
      input.dynamicReason = rec.lastDrop.reason;
      input.forwardedCredentials = rec.lastDrop.forwardedCredentials;
      if (rec.lastDrop.workUnit !== undefined) input.workUnit = rec.lastDrop.workUnit;
    }
    if (cause === 'over-tag-limit' && rec?.lastDrop?.limit) input.limit = rec.lastDrop.limit;
    if (cause === 'revalidated-never-declared') {
      const keyPart = this.keyPartUse(tag, rec);
      if (keyPart) {
        input.keyPartOf = keyPart.fnName !== undefined && keyPart.fnName !== shown ? { fnName: keyPart.fnName } : {};
        input.evidence = [keyPart.eventId, ...evidence];
      }
      const prev = this.findingsById.get(`orphaned-tag:${tag}`);
      const suggestion =
        prev?.kind === 'orphaned-tag' && prev.cause === cause ? prev.suggestion : closestTag(tag, this.history.knownTags());
      if (suggestion !== undefined) input.suggestion = this.shown(suggestion);
    }
    if (lossDetail !== undefined) input.lossDetail = lossDetail;
    return orphanedTagFinding(input);
  }

  /** The form the app wrote a canonical tag in (itself unless Next percent-encodes it). */
  private shown(tag: string): string {
    return this.writtenForms.get(tag) ?? tag;
  }

  private learnWrittenForms(tags: readonly string[] | undefined): void {
    for (const t of tags ?? []) {
      const c = encodeHeaderSafe(t);
      if (c !== t) remember(this.writtenForms, c, t, MAX_WRITTEN_FORMS);
    }
  }

  /** The unstable_cache call that passed `tag` as a key part, when no call ever declared it as a tag. */
  private keyPartUse(tag: string, rec: TagRecord | undefined): KeyPartUse | undefined {
    if (rec && (rec.declared > 0 || rec.attached > 0 || rec.entriesAdded > 0)) return undefined;
    return this.keyParts.get(shortHash(tag)) ?? this.keyParts.get(shortHash(this.shown(tag)));
  }

  private checkStaleRead(key: string, ev: CallEvent): void {
    const entry = this.index.get(key);
    if (!entry || entry.staleBy === undefined || !readWasStale(ev)) return;
    const rev = this.tracker.get(entry.staleBy);
    entry.staleBy = undefined;
    if (!rev) return;
    const matched =
      rev.matched.find((m) => m.key === key) ??
      ({ key, kind: entry.kind, route: entry.route, scope: entry.scope, via: 'tag', tag: rev.tags[0] ?? '' } satisfies MatchedEntry);
    const prev = this.findingsById.get(`stale-after-revalidate:${revalidationKey(rev)}`);
    this.upsert(
      staleAfterRevalidateFinding({
        rev,
        entry: matched,
        readEventId: ev.id,
        ts: ev.ts,
        previousKeys: prev?.kind === 'stale-after-revalidate' ? prev.keys : undefined,
      }),
    );
  }

  private upsert(finding: Finding): void {
    const prev = this.findingsById.get(finding.id);
    this.findingsById.set(finding.id, mergeFinding(prev?.kind === finding.kind ? prev : undefined, finding));
  }

  // ─── index bookkeeping ───

  private afterUpsert(result: UpsertResult, ev: CacheScopeEvent): void {
    if (result.added) {
      for (const t of result.entry.tags) {
        this.history.note(t, 'entry-added', ev.id, ev.ts, result.entry.kind);
        // A live entry carries the tag now: it is no longer orphaned.
        this.findingsById.delete(`orphaned-tag:${t}`);
      }
    }
    for (const evicted of result.evicted) this.noteLoss(evicted, 'entry-evicted', ev.id, ev.ts);
  }

  private noteLoss(entry: IndexEntry, what: TagHistoryKind, eventId: number, ts: number): void {
    for (const t of entry.tags) this.history.note(t, what, eventId, ts, entry.key);
  }

  private countInternalError(where: string, message: string, count: number): void {
    const safe = redactText(message).slice(0, 500);
    const key = `${where}\u0000${safe}`;
    const prev = this.internalErrors.get(key);
    if (prev) {
      prev.count += count;
      return;
    }
    if (this.internalErrors.size >= MAX_INTERNAL_ERRORS) return;
    this.internalErrors.set(key, { where, message: safe, count });
  }
}

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  return new Analyzer(options);
}
