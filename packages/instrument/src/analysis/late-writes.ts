/**
 * Writes that reach the analysis after a revalidation commit they happened before. A write is reported
 * when its call settles, which can be after Next committed a revalidation that followed it: a form
 * action posted without JavaScript commits its updateTag again after the re-render, and that second
 * commit expires what the re-render just wrote. Such an entry was live when the commit ran, so the
 * commit reached it. This keeps the recent commits and says which of them a late write was live for.
 */
import type { CommitMode, MatchedEntry, Revalidation } from '../protocol/events.js';
import type { IndexEntry } from './tag-index.js';

const MAX_COMMITS = 50;
/** Far longer than any call takes to settle. */
const WINDOW_MS = 60_000;

export interface RecentCommit {
  id: number;
  ts: number;
  mode: CommitMode;
  revalidations: readonly Revalidation[];
}

export interface LateMatch {
  commit: RecentCommit;
  rev: Revalidation;
  matched: MatchedEntry;
}

export class RecentCommits {
  private commits: RecentCommit[] = [];

  add(commit: RecentCommit): void {
    this.commits = this.commits.filter((c) => commit.ts - c.ts <= WINDOW_MS);
    this.commits.push(commit);
    if (this.commits.length > MAX_COMMITS) this.commits.shift();
  }

  /** The revalidations of commits after `writtenAt` that carry one of the entry's tags (or soft tags). */
  liveAt(entry: IndexEntry, writtenAt: number): LateMatch[] {
    const out: LateMatch[] = [];
    for (const commit of this.commits) {
      if (commit.ts <= writtenAt) continue;
      for (const rev of commit.revalidations) {
        const tag = rev.tags.find((t) => entry.tags.includes(t));
        const softTag = tag === undefined ? rev.tags.find((t) => entry.softTags.includes(t)) : undefined;
        const hit = tag ?? softTag;
        if (hit === undefined) continue;
        const matched: MatchedEntry = {
          key: entry.key,
          kind: entry.kind,
          route: entry.route,
          scope: entry.scope,
          via: tag !== undefined ? 'tag' : 'soft-tag',
          tag: hit,
        };
        out.push({ commit, rev, matched });
      }
    }
    return out;
  }

  clear(): void {
    this.commits = [];
  }
}
