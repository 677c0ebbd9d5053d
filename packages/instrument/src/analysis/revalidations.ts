/**
 * Joins revalidation calls to their commits and folds duplicate commits.
 *
 * A call (`revalidateTag`, …) only queues tags; Next commits them after the action / handler / render,
 * once per cache handler (the incremental cache plus every `'use cache'` handler), so one logical
 * revalidation arrives 2–4 times. Commits with the same tags, mode, expire and request within
 * `coalesceWindowMs`, each from another handler, are one. A primary commit is joined to the pending
 * calls of the same request (or, without request ids, the same route within `joinWindowMs`) whose tags
 * it contains. Next can commit a call twice: a form action posted without JavaScript commits before
 * its re-render and again after it; the second commit belongs to the call its first one joined.
 * Commit tags no observed call asked for become a revalidation of their own (api `unknown`).
 */
import type { RevalidateCallEvent, Revalidation, RevalidationCommitEvent } from '../protocol/events.js';
import { expectedCommitMode } from './revalidate-semantics.js';

export const DEFAULT_COALESCE_WINDOW_MS = 50;
export const DEFAULT_JOIN_WINDOW_MS = 10_000;
export const DEFAULT_MAX_REVALIDATIONS = 1000;
const MAX_PENDING = 500;
/** Committed calls kept to recognise a second commit of theirs (same request, later). */
const MAX_COMMITTED = 200;

export interface RevalidationTrackerOptions {
  coalesceWindowMs?: number;
  joinWindowMs?: number;
  maxRevalidations?: number;
}

export type CommitRouting =
  | { kind: 'duplicate'; primaryId: number; revalidations: Revalidation[] }
  /**
   * `revalidations`: the joined calls plus, if needed, one for the tags no call asked for.
   * `recommitted`: those of them this commit applies a second time (already committed earlier).
   */
  | { kind: 'primary'; revalidations: Revalidation[]; recommitted: ReadonlySet<Revalidation> };

interface RecentCommit {
  key: string;
  primaryId: number;
  ts: number;
  revalidations: Revalidation[];
  /** The handlers that received this commit: one handler receiving it again is a new commit. */
  handlers: Set<string>;
}

const EMPTY_BLAST = () => ({ entries: 0, scopes: 0, routes: [], kinds: [] });

export class RevalidationTracker {
  private readonly coalesceWindowMs: number;
  private readonly joinWindowMs: number;
  private readonly maxRevalidations: number;
  private readonly records = new Map<number, Revalidation>();
  private pending: Revalidation[] = [];
  private committed: Revalidation[] = [];
  private recent: RecentCommit[] = [];

  constructor(options: RevalidationTrackerOptions = {}) {
    this.coalesceWindowMs = options.coalesceWindowMs ?? DEFAULT_COALESCE_WINDOW_MS;
    this.joinWindowMs = options.joinWindowMs ?? DEFAULT_JOIN_WINDOW_MS;
    this.maxRevalidations = options.maxRevalidations ?? DEFAULT_MAX_REVALIDATIONS;
  }

  get(id: number): Revalidation | undefined {
    return this.records.get(id);
  }

  list(): Revalidation[] {
    return [...this.records.values()];
  }

  onCall(ev: RevalidateCallEvent): Revalidation {
    const rev: Revalidation = {
      id: ev.id,
      api: ev.api,
      args: [...ev.args],
      tags: [...ev.tags],
      status: ev.error ? 'failed' : ev.api === 'refresh' || ev.tags.length === 0 ? 'no-cache-effect' : 'pending',
      ts: ev.ts,
      callEventId: ev.id,
      commitEventIds: [],
      matched: [],
      blast: EMPTY_BLAST(),
    };
    const mode = expectedCommitMode(ev.api, ev.profile);
    if (mode && rev.status === 'pending') rev.mode = mode;
    copyContext(rev, ev);
    if (ev.profile !== undefined) rev.profile = ev.profile;
    if (ev.callSite !== undefined) rev.callSite = ev.callSite;
    if (ev.site !== undefined) rev.site = ev.site;
    if (ev.scope !== undefined) rev.scope = ev.scope;
    this.store(rev);
    if (rev.status === 'pending') {
      this.pending.push(rev);
      if (this.pending.length > MAX_PENDING) this.pending.shift();
    }
    return rev;
  }

  onCommit(ev: RevalidationCommitEvent): CommitRouting {
    const key = `${ev.requestId ?? ''}|${ev.mode}|${ev.expireSeconds ?? ''}|${[...ev.tags].sort().join('\u0000')}`;
    this.recent = this.recent.filter((r) => ev.ts - r.ts <= this.coalesceWindowMs);
    const dup = this.recent.find((r) => r.key === key && !r.handlers.has(ev.handler));
    if (dup) {
      dup.handlers.add(ev.handler);
      for (const rev of dup.revalidations) rev.commitEventIds.push(ev.id);
      return { kind: 'duplicate', primaryId: dup.primaryId, revalidations: dup.revalidations };
    }

    const commitTags = new Set(ev.tags);
    const joined: Revalidation[] = [];
    const stillPending: Revalidation[] = [];
    for (const rev of this.pending) {
      if (this.joins(rev, ev, commitTags)) joined.push(rev);
      else stillPending.push(rev);
    }
    this.pending = stillPending;

    const recommitted = new Set(ev.requestId === undefined ? [] : this.committed.filter((rev) => this.recommits(rev, ev, commitTags)));
    const covered = new Set<string>();
    for (const rev of [...joined, ...recommitted]) {
      rev.status = 'committed';
      rev.mode = ev.mode;
      if (ev.expireSeconds !== undefined) rev.expireSeconds = ev.expireSeconds;
      rev.commitEventIds.push(ev.id);
      for (const t of rev.tags) covered.add(t);
    }
    for (const rev of joined) if (rev.requestId !== undefined) this.committed.push(rev);
    if (this.committed.length > MAX_COMMITTED) this.committed.splice(0, this.committed.length - MAX_COMMITTED);
    const uncovered = ev.tags.filter((t) => !covered.has(t));
    const revalidations = [...joined, ...recommitted];
    if (uncovered.length > 0) {
      const rev: Revalidation = {
        id: ev.id,
        api: 'unknown',
        args: [],
        tags: uncovered,
        mode: ev.mode,
        status: 'committed',
        ts: ev.ts,
        commitEventIds: [ev.id],
        matched: [],
        blast: EMPTY_BLAST(),
      };
      if (ev.expireSeconds !== undefined) rev.expireSeconds = ev.expireSeconds;
      copyContext(rev, ev);
      this.store(rev);
      revalidations.push(rev);
    }
    this.recent.push({ key, primaryId: ev.id, ts: ev.ts, revalidations, handlers: new Set([ev.handler]) });
    return { kind: 'primary', revalidations, recommitted };
  }

  clear(): void {
    this.records.clear();
    this.pending = [];
    this.committed = [];
    this.recent = [];
  }

  private joins(rev: Revalidation, ev: RevalidationCommitEvent, commitTags: ReadonlySet<string>): boolean {
    if (!rev.tags.every((t) => commitTags.has(t))) return false;
    if (rev.mode !== undefined && rev.mode !== ev.mode) return false;
    if (ev.ts < rev.ts) return false;
    if (rev.requestId !== undefined && ev.requestId !== undefined) return rev.requestId === ev.requestId;
    if (rev.route !== undefined && ev.route !== undefined && rev.route !== ev.route) return false;
    return ev.ts - rev.ts <= this.joinWindowMs;
  }

  /** A call committed earlier in the same request, committed again (same mode, its tags included). */
  private recommits(rev: Revalidation, ev: RevalidationCommitEvent, commitTags: ReadonlySet<string>): boolean {
    return rev.requestId === ev.requestId && rev.mode === ev.mode && rev.tags.every((t) => commitTags.has(t));
  }

  private store(rev: Revalidation): void {
    this.records.set(rev.id, rev);
    while (this.records.size > this.maxRevalidations) {
      const oldest = this.records.keys().next().value as number;
      this.records.delete(oldest);
    }
  }
}

function copyContext(rev: Revalidation, ev: RevalidateCallEvent | RevalidationCommitEvent): void {
  if (ev.requestId !== undefined) rev.requestId = ev.requestId;
  if (ev.instance !== undefined) rev.instance = ev.instance;
  if (ev.route !== undefined) rev.route = ev.route;
  if (ev.phase !== undefined) rev.phase = ev.phase;
  if (ev.requestKind !== undefined) rev.requestKind = ev.requestKind;
}
