/** The expectations of one mark: revalidations, call decisions and findings after it. */
import { eventLine, evidenceOf, findingBlock, matchedLine, revalidationLine } from '../mcp/describe.js';
import type {
  CallDecision,
  CacheScopeEvent,
  CommitMode,
  FetchEvent,
  Finding,
  FindingKind,
  Revalidation,
  Snapshot,
  UnstableCacheEvent,
  UseCacheEvent,
} from '../protocol/events.js';
import { CacheScopeAssertionError } from './assertion-error.js';

export interface WaitOptions {
  /** How long to wait for the stream to report it (default 5000 ms). */
  timeoutMs?: number;
}

export interface RevalidationExpectation extends WaitOptions {
  /** Exactly this many live entries matched (0: a no-op). */
  matched?: number;
  api?: Revalidation['api'];
  mode?: CommitMode;
}

export type CachedCall = FetchEvent | UnstableCacheEvent | UseCacheEvent;

export interface CallFilter {
  /** Fetches whose (redacted) URL contains this, or matches it. */
  url?: string | RegExp;
  /** Calls made while rendering this route (`/pattern-1`). */
  route?: string;
  /** Calls that declared this tag. */
  tag?: string;
  /** Also count calls Next answered from its per-request dedupe (default false: only calls that reached a cache or the origin). */
  deduped?: boolean;
}

export interface Mark {
  /** The newest event id when the mark was taken. */
  readonly eventId: number;
  /** The committed revalidations of `tag` after the mark (waits for at least one), checked against `expect`. */
  expectRevalidation(tag: string, expect?: RevalidationExpectation): Promise<Revalidation>;
  /** The decisions of the calls matching `filter` after the mark, in order (waits for that many calls). */
  expectDecisions(filter: CallFilter, decisions: readonly CallDecision[], options?: WaitOptions): Promise<CachedCall[]>;
  /** No finding of these kinds (default: any) appeared or recurred after the mark. */
  expectNoFindings(kinds?: readonly FindingKind[], options?: { settleMs?: number }): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const POLL_MS = 50;
const CALLS_SETTLE_MS = 250;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isCall(e: CacheScopeEvent): e is CachedCall {
  return e.type === 'fetch' || e.type === 'unstable-cache' || e.type === 'use-cache';
}

function callTags(e: CachedCall): readonly string[] {
  return e.type === 'fetch' ? [...(e.declared.tags ?? []), ...e.tagsAttached] : e.tags;
}

function describeFilter(f: CallFilter): string {
  return (
    [f.url !== undefined && `to ${String(f.url)}`, f.route && `on ${f.route}`, f.tag && `tagged ${f.tag}`].filter(Boolean).join(' ') ||
    '(any)'
  );
}

export function createMark(read: () => Promise<Snapshot>, eventId: number, at: Snapshot): Mark {
  const countsAtMark = new Map(at.findings.map((f) => [f.id, f.count] as const));
  const after = (id: number) => id > eventId;

  /** Poll until `pick` returns something, or give the last snapshot to `fail`. */
  async function until<T>(timeoutMs: number, pick: (s: Snapshot) => T | undefined, fail: (s: Snapshot) => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const snapshot = await read();
      const found = pick(snapshot);
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new CacheScopeAssertionError(fail(snapshot));
      await delay(POLL_MS);
    }
  }

  const revalidationsAfter = (s: Snapshot) => s.revalidations.filter((r) => after(r.callEventId ?? r.id));

  return {
    eventId,

    async expectRevalidation(tag, expect = {}) {
      const rev = await until(
        expect.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        (s) =>
          revalidationsAfter(s)
            .filter((r) => r.tags.includes(tag) && r.status !== 'pending')
            .at(-1),
        (s) => {
          const seen = revalidationsAfter(s);
          return `expected a revalidation of "${tag}" after the mark; none was committed. Revalidations after the mark: ${
            seen.length ? `\n${seen.map((r) => `  ${revalidationLine(r)}`).join('\n')}` : 'none.'
          }`;
        },
      );
      const problems: string[] = [];
      if (expect.matched !== undefined && rev.matched.length !== expect.matched) {
        problems.push(
          `to match ${expect.matched} live ${expect.matched === 1 ? 'entry' : 'entries'}, but it matched ${rev.matched.length}`,
        );
      }
      if (expect.api !== undefined && rev.api !== expect.api) problems.push(`to be a ${expect.api}, but it was ${rev.api}`);
      if (expect.mode !== undefined && rev.mode !== expect.mode)
        problems.push(`to be ${expect.mode}, but it was ${rev.mode ?? 'not committed'}`);
      if (problems.length > 0) {
        throw new CacheScopeAssertionError(
          [
            `expected the revalidation of "${tag}" ${problems.join('; and ')}.`,
            `  ${revalidationLine(rev)}`,
            ...(rev.matched.length ? rev.matched.map((m) => `    - ${matchedLine(m)}`) : ['    (no live entry carried the tag)']),
          ].join('\n'),
        );
      }
      return rev;
    },

    async expectDecisions(filter, decisions, options = {}) {
      const matching = (s: Snapshot) =>
        s.events.filter(
          (e): e is CachedCall =>
            after(e.id) &&
            isCall(e) &&
            (filter.deduped === true || e.decision !== 'deduped') &&
            (filter.route === undefined || e.route === filter.route) &&
            (filter.tag === undefined || callTags(e).includes(filter.tag)) &&
            (filter.url === undefined ||
              (e.type === 'fetch' && (typeof filter.url === 'string' ? e.url.includes(filter.url) : filter.url.test(e.url)))),
        );
      await until(
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        (s) => {
          const found = matching(s);
          return found.length >= decisions.length ? found : undefined;
        },
        (s) => {
          const found = matching(s);
          return `expected ${decisions.length} call(s) ${describeFilter(filter)} after the mark (${decisions.join(', ')}); saw ${found.length}${
            found.length ? `:\n${found.map((e) => `  ${eventLine(e)}`).join('\n')}` : '.'
          }`;
        },
      );
      await delay(CALLS_SETTLE_MS); // more calls of the same step may still be reporting
      const calls = matching(await read());
      const actual = calls.map((c) => c.decision);
      if (actual.length !== decisions.length || actual.some((d, i) => d !== decisions[i])) {
        throw new CacheScopeAssertionError(
          `expected the calls ${describeFilter(filter)} after the mark to be [${decisions.join(', ')}], but they were [${actual.join(', ')}]:\n${calls
            .map((e) => `  ${eventLine(e)}`)
            .join('\n')}`,
        );
      }
      return calls;
    },

    async expectNoFindings(kinds, options = {}) {
      await delay(options.settleMs ?? 300); // findings follow their events by one flush
      const snapshot = await read();
      const fresh = snapshot.findings.filter(
        (f: Finding) => (!kinds || kinds.includes(f.kind)) && f.count !== countsAtMark.get(f.id) && f.evidence.some(after),
      );
      if (fresh.length > 0) {
        throw new CacheScopeAssertionError(
          [
            `expected no ${kinds ? kinds.join(' / ') : ''} findings after the mark; found ${fresh.length}:`,
            ...fresh.flatMap((f) => findingBlock(f, evidenceOf(snapshot, f.evidence.filter(after).slice(-4))).map((l) => `  ${l}`)),
          ].join('\n'),
        );
      }
    },
  };
}
