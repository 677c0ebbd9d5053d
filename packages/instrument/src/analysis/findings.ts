/**
 * Finding builders: pure functions from facts the analysis gathered (each backed by event ids) to a
 * finding with a stable id, a message and the fix from the article's decision rule. The analysis
 * decides *when* a finding holds; these decide how it reads.
 */
import type {
  BlastRadius,
  BroadRevalidationFinding,
  DeprecatedSingleArgFinding,
  DevArtefact,
  DevArtefactFinding,
  Finding,
  FindingFix,
  MatchedEntry,
  NoopRevalidationFinding,
  OrphanCause,
  OrphanedTagFinding,
  Revalidation,
  Severity,
  StaleAfterRevalidateFinding,
  TagLimit,
  WorkUnit,
} from '../protocol/events.js';
import { callText } from '../protocol/call-text.js';
import { isDynamicRoutePath, isImplicitTag } from './revalidate-semantics.js';
import { NEXT_CACHE_TAG_MAX_ITEMS, NEXT_CACHE_TAG_MAX_LENGTH, limitOf, overLimitReason } from './tag-limits.js';

export const MAX_EVIDENCE = 20;

/** Appends ids, keeping the earliest and the latest when over `cap` (drops from the middle). */
export function mergeEvidence(prev: readonly number[], next: readonly number[], cap = MAX_EVIDENCE): number[] {
  const out = [...prev];
  for (const id of next) if (!out.includes(id)) out.push(id);
  while (out.length > cap) out.splice(Math.floor(cap / 2), 1);
  return out;
}

/** Folds a new occurrence into an existing finding with the same id. */
export function mergeFinding<F extends Finding>(prev: F | undefined, next: F): F {
  if (!prev) return next;
  return {
    ...next,
    count: prev.count + next.count,
    firstTs: prev.firstTs,
    evidence: mergeEvidence(prev.evidence, next.evidence),
  };
}

function base(id: string, severity: Severity, tags: string[], message: string, evidence: number[], fix: FindingFix, ts: number) {
  return { id, severity, tags, message, evidence: mergeEvidence([], evidence), fix, count: 1, firstTs: ts, lastTs: ts };
}

const q = (s: string) => JSON.stringify(s);

/** `revalidateTag("a", "max")`, or a description when the call itself was not observed. */
export function describeRevalidation(rev: Pick<Revalidation, 'api' | 'args' | 'tags'>): string {
  if (rev.api !== 'unknown') return callText(rev.api, rev.args);
  return `a revalidation of ${rev.tags.map(q).join(', ')} (committed by Next; the call itself was not observed)`;
}

/** Identifies revalidations of the same tags through the same api (for aggregating findings). */
export function revalidationKey(rev: Pick<Revalidation, 'api' | 'tags'>): string {
  return `${rev.api}:${[...rev.tags].sort().join(',')}`;
}

// ─── fixes from the article's decision rule ───

const PER_USER_CACHE_FIX: FindingFix = {
  pattern: 'pattern-1',
  alternatives: ['pattern-2', 'pattern-3'],
  text:
    'Read cookies() outside the cached function and pass the session in as a key part: ' +
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fix shows the code to write
    "unstable_cache(fn, ['dashboard', session], { tags: [tag, `${tag}:${sessionHash(session)}`] }) (Pattern 1), " +
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fix shows the code to write
    "or a 'use cache' function that takes the session as an argument and calls cacheTag(tag, `${tag}:${sessionHash(session)}`) (Pattern 2); " +
    'then revalidate one user with the hashed tag. If the data is cheap or must be fresh on every request, do not cache it: ' +
    'dedupe with React.cache and re-render with revalidatePath (Pattern 3).',
};

const OPT_IN_FIX: FindingFix = {
  pattern: 'opt-in-cache',
  alternatives: ['pattern-2', 'pattern-3'],
  text:
    "Opt the fetch into the data cache with cache: 'force-cache' or next: { revalidate: N } (Next 15+/16 no longer cache fetches by default), " +
    "or move it into a 'use cache' function with cacheTag. If it must be fresh on every request, drop the tag and use revalidatePath (Pattern 3).",
};

const UNSTABLE_CACHE_TAG_FIX: FindingFix = {
  pattern: 'pattern-1',
  text: "Fetches inside unstable_cache are never cached themselves: put the tag in unstable_cache's options, unstable_cache(fn, keyParts, { tags: [tag] }).",
};

const TAG_TOO_LONG_FIX: FindingFix = {
  pattern: 'fix-tag-name',
  text: `Keep every tag at ${NEXT_CACHE_TAG_MAX_LENGTH} characters or fewer: replace the long part with a short hash of it, in the tag the call declares and in the one you revalidate.`,
};

const TOO_MANY_TAGS_FIX: FindingFix = {
  pattern: 'fix-tag-name',
  text: `Declare at most ${NEXT_CACHE_TAG_MAX_ITEMS} tags per call: tag the collection (one shared tag) instead of every item, or split the data over several calls.`,
};

// ─── orphaned-tag ───

export interface OrphanInput {
  tag: string;
  /** The form the app wrote the tag in, when Next percent-encodes it (messages show this one). */
  shown?: string;
  cause: OrphanCause;
  evidence: number[];
  ts: number;
  /** declared-on-uncached-call: why the call skipped the cache, and what shaped it. */
  dynamicReason?: string;
  forwardedCredentials?: boolean;
  workUnit?: WorkUnit;
  /** revalidated-never-declared: the closest known tag. */
  suggestion?: string;
  /** revalidated-never-declared: an unstable_cache call passed the tag as a key part. */
  keyPartOf?: { fnName?: string };
  /** over-tag-limit: the limit Next applied. */
  limit?: TagLimit;
  /** all-entries-expired: how the entries went away. */
  lossDetail?: string;
}

const KEY_PART_FIX = (tag: string): FindingFix => ({
  pattern: 'fix-tag-name',
  text: `Move it from the key parts to the tags option, unstable_cache(fn, keyParts, { tags: [${q(tag)}] }), then revalidateTag(${q(tag)}) reaches the entry.`,
});

export function orphanedTagFinding(input: OrphanInput): OrphanedTagFinding {
  const { cause } = input;
  const tag = input.shown ?? input.tag;
  let severity: Severity;
  let message: string;
  let fix: FindingFix;
  switch (cause) {
    case 'declared-on-uncached-call':
      severity = 'warning';
      message =
        `Tag ${q(tag)} is on no cache entry: it was declared on a call that never entered a cache ` +
        `(${input.dynamicReason ?? 'the call skipped the data cache'}), so Next dropped it. ` +
        `revalidateTag(${q(tag)}) has nothing to invalidate.`;
      fix = input.workUnit === 'unstable-cache' ? UNSTABLE_CACHE_TAG_FIX : input.forwardedCredentials ? PER_USER_CACHE_FIX : OPT_IN_FIX;
      break;
    case 'over-tag-limit': {
      const limit = input.limit ?? limitOf(tag);
      severity = 'error';
      message = `Tag ${q(tag)} is on no cache entry: ${overLimitReason(limit)}. revalidateTag(${q(tag)}) has nothing to invalidate.`;
      fix = limit === 'count' ? TOO_MANY_TAGS_FIX : TAG_TOO_LONG_FIX;
      break;
    }
    case 'revalidated-never-declared':
      severity = 'error';
      if (input.keyPartOf) {
        const name = input.keyPartOf.fnName !== undefined ? ` (${q(input.keyPartOf.fnName)})` : '';
        message =
          `Tag ${q(tag)} was revalidated, but no cached call declared it as a tag: it was passed to unstable_cache${name} as a key part. ` +
          'Key parts only name the cache entry; Next never attaches them as tags, so the revalidation invalidated nothing.';
        fix = KEY_PART_FIX(tag);
        break;
      }
      message =
        `Tag ${q(tag)} was revalidated, but no call declared it and no cache entry cachescope has seen carries it` +
        (input.suggestion ? `. Did you mean ${q(input.suggestion)}?` : '.');
      fix = {
        pattern: 'fix-tag-name',
        text: input.suggestion
          ? `Revalidate the tag the cached call declares: ${q(input.suggestion)}.`
          : 'Revalidate a tag that a cached call declares (fetch next.tags, unstable_cache tags, or cacheTag).',
      };
      break;
    case 'all-entries-expired':
      severity = 'info';
      message =
        `Tag ${q(tag)} had cache entries, but none is live now` +
        (input.lossDetail ? ` (${input.lossDetail})` : '') +
        ': the revalidation had nothing left to invalidate.';
      fix = {
        pattern: 'no-action',
        text: 'Nothing to fix if expected: the next read re-creates the entry. If entries should live longer, raise revalidate / cacheLife.',
      };
      break;
  }
  const finding: OrphanedTagFinding = {
    ...base(`orphaned-tag:${input.tag}`, severity, [input.tag], message, input.evidence, fix, input.ts),
    kind: 'orphaned-tag',
    cause,
  };
  if (input.dynamicReason !== undefined && cause === 'declared-on-uncached-call') finding.dynamicReason = input.dynamicReason;
  if (input.suggestion !== undefined && !input.keyPartOf) finding.suggestion = input.suggestion;
  if (input.keyPartOf !== undefined && cause === 'revalidated-never-declared') finding.keyPartOf = input.keyPartOf;
  if (cause === 'over-tag-limit') finding.limit = input.limit ?? limitOf(tag);
  return finding;
}

// ─── noop-revalidation ───

export interface NoopInput {
  rev: Revalidation;
  evidence: number[];
  ts: number;
  /** Totals for revalidations with the same api and tags, including this one. */
  noops: number;
  effective: number;
  /** Some revalidated tag was only ever declared on uncached calls. */
  tagWasDropped?: boolean;
  /** Some revalidated tag was never declared, only passed to unstable_cache as a key part. */
  tagWasKeyPart?: boolean;
  /** A revalidated tag Next left off the entries for its tag limits. */
  tagOverLimit?: TagLimit;
}

export function noopRevalidationFinding(input: NoopInput): NoopRevalidationFinding {
  const { rev } = input;
  const call = describeRevalidation(rev);
  const pathOnly = rev.tags.length > 0 && rev.tags.every(isImplicitTag);
  const path = rev.api === 'revalidatePath' ? (rev.args[0] ?? '') : '';
  const history =
    input.effective > 0
      ? ` It matched nothing in ${input.noops} of ${input.noops + input.effective} calls: at those moments nothing carrying it was cached.`
      : '';
  let severity: Severity;
  let message: string;
  let fix: FindingFix;

  if (rev.api === 'revalidateTag' && rev.tags.length === 1 && rev.tags[0] === '') {
    severity = 'error';
    message =
      `${call} matched no cache entry: in Next 16 the empty tag is not a wildcard, it matches nothing, ` +
      'so the "revalidate everything" sledgehammer does not work.';
    fix = {
      pattern: 'revalidatePath-layout',
      alternatives: ['per-user-tags'],
      text:
        "To re-render everything use revalidatePath('/', 'layout'). Better: tag entries per user " +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the fix shows the code to write
        '(`tag:${sessionHash(session)}`, Pattern 1/2) and revalidate only what changed.',
    };
  } else if (pathOnly && rev.api === 'revalidatePath' && isDynamicRoutePath(path) && rev.args.length < 2) {
    severity = 'warning';
    message = `${call} does nothing: a dynamic route pattern needs a type. Nothing cached carries ${rev.tags.map(q).join(', ')}.`;
    fix = {
      pattern: 'pattern-3',
      text: `Pass the type, revalidatePath(${q(path)}, 'page'), or revalidate the concrete path.`,
    };
  } else if (pathOnly) {
    severity = 'info';
    message =
      `${call} matched no cache entry: nothing is cached under this path. The page re-renders anyway ` +
      '(the path is marked revalidated), so this is fine for dynamic data, but it refreshes no cached data.' +
      history;
    fix = {
      pattern: 'pattern-3',
      text: 'Nothing to fix for dynamic data (Pattern 3). If cached data should refresh, revalidate the tag it carries.',
    };
  } else {
    severity = input.effective > 0 ? 'info' : 'error';
    message =
      `${call} matched no live cache entry, so it invalidated nothing.` +
      (input.tagOverLimit
        ? ` ${overLimitReason(input.tagOverLimit)} (see the orphaned-tag finding).`
        : input.tagWasDropped
          ? ' The tag was only declared on calls that skipped the cache (see the orphaned-tag finding).'
          : input.tagWasKeyPart
            ? ' The tag was passed to unstable_cache as a key part, not in its tags option (see the orphaned-tag finding).'
            : '') +
      history;
    fix = input.tagOverLimit
      ? input.tagOverLimit === 'count'
        ? TOO_MANY_TAGS_FIX
        : TAG_TOO_LONG_FIX
      : input.tagWasDropped
        ? PER_USER_CACHE_FIX
        : input.tagWasKeyPart
          ? KEY_PART_FIX(rev.args[0] ?? rev.tags[0] ?? '')
          : {
              pattern: 'fix-tag-name',
              alternatives: ['pattern-1', 'pattern-2'],
              text: 'Check that a cached call (force-cache fetch, unstable_cache, or a use cache function) declares this tag and has run.',
            };
  }
  return {
    ...base(`noop-revalidation:${revalidationKey(rev)}`, severity, [...rev.tags], message, input.evidence, fix, input.ts),
    kind: 'noop-revalidation',
    api: rev.api,
    noops: input.noops,
    effective: input.effective,
  };
}

// ─── stale-after-revalidate ───

export interface StaleReadInput {
  rev: Revalidation;
  entry: MatchedEntry;
  readEventId: number;
  ts: number;
  /** Keys already reported for this finding id (the new key is added). */
  previousKeys?: readonly string[];
}

export function staleAfterRevalidateFinding(input: StaleReadInput): StaleAfterRevalidateFinding {
  const { rev, entry } = input;
  const inAction = rev.requestKind === 'action';
  const message =
    `After ${describeRevalidation(rev)}, the next read of ${entry.kind} entry ${entry.key}` +
    (entry.route ? ` on ${entry.route}` : '') +
    ' was served stale: stale-while-revalidate returns the old value once and refreshes in the background.';
  const fix: FindingFix = inAction
    ? {
        pattern: 'updateTag',
        text: `In a Server Action, call updateTag(${q(rev.tags[0] ?? '')}) to expire now and read your own write; keep revalidateTag(tag, 'max') for background refreshes.`,
      }
    : {
        pattern: 'revalidateTag-expire-0',
        text: 'If readers must see the change at once, use revalidateTag(tag, { expire: 0 }) (outside Server Actions) or updateTag (inside).',
      };
  const evidence = [rev.callEventId ?? rev.id, ...rev.commitEventIds.slice(0, 1), input.readEventId];
  return {
    ...base(
      `stale-after-revalidate:${revalidationKey(rev)}`,
      inAction ? 'warning' : 'info',
      [...rev.tags],
      message,
      evidence,
      fix,
      input.ts,
    ),
    kind: 'stale-after-revalidate',
    api: rev.api,
    keys: [...new Set([...(input.previousKeys ?? []), entry.key])],
  };
}

// ─── broad-revalidation ───

export function blastRadius(matched: readonly MatchedEntry[]): BlastRadius {
  const keys = new Set<string>();
  const scopes = new Set<string>();
  const routes = new Set<string>();
  const kinds = new Set<MatchedEntry['kind']>();
  for (const m of matched) {
    keys.add(m.key);
    if (m.scope) scopes.add(m.scope);
    if (m.route) routes.add(m.route);
    kinds.add(m.kind);
  }
  return { entries: keys.size, scopes: scopes.size, routes: [...routes].sort(), kinds: [...kinds].sort() };
}

export interface BroadInput {
  rev: Revalidation;
  evidence: number[];
  ts: number;
}

export function broadRevalidationFinding(input: BroadInput): BroadRevalidationFinding {
  const { rev } = input;
  const blast = rev.blast;
  const fromUser = rev.requestKind === 'action';
  const message =
    `${describeRevalidation(rev)} invalidated ${blast.entries} entries across ${blast.scopes} user scopes` +
    (blast.routes.length ? ` on ${blast.routes.join(', ')}` : '') +
    (fromUser ? ". One user's action refreshes every user's cache: a thundering herd on the backend and a hit rate near zero." : '.');
  const finding: BroadRevalidationFinding = {
    ...base(
      `broad-revalidation:${revalidationKey(rev)}`,
      fromUser ? 'warning' : 'info',
      [...rev.tags],
      message,
      input.evidence,
      {
        pattern: 'per-user-tags',
        alternatives: ['pattern-1', 'pattern-2'],
        text:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the fix shows the code to write
          "Tag entries per user as well (`tag:${sessionHash(session)}`) and revalidate only the caller's tag after a per-user change; " +
          'keep the global tag for changes that really concern everyone.',
      },
      input.ts,
    ),
    kind: 'broad-revalidation',
    api: rev.api,
    blast,
  };
  if (rev.scope) finding.requesterScope = rev.scope;
  return finding;
}

// ─── deprecated one-argument revalidateTag ───

export function deprecatedSingleArgFinding(input: {
  tag: string;
  shown?: string;
  eventId: number;
  ts: number;
}): DeprecatedSingleArgFinding {
  const tag = input.shown ?? input.tag;
  return {
    ...base(
      `deprecated-revalidate-tag-single-arg:${input.tag}`,
      'info',
      [input.tag],
      `revalidateTag(${q(tag)}) without a profile is deprecated in Next 16; it expires the tag at once, like updateTag.`,
      [input.eventId],
      {
        pattern: 'revalidateTag-profile',
        alternatives: ['updateTag'],
        text: `Use revalidateTag(${q(tag)}, 'max') for stale-while-revalidate, or updateTag(${q(tag)}) in a Server Action to read your own write.`,
      },
      input.ts,
    ),
    kind: 'deprecated-revalidate-tag-single-arg',
  };
}

// ─── dev artefacts ───

const ARTEFACT_TEXT: Record<DevArtefact, string> = {
  'hard-refresh':
    'A browser hard refresh (cache-control: no-cache) made next dev bypass the data cache; Next logs these fetches as "cache skip, hard refresh". Not a bug: a normal reload uses the cache, and next start ignores the header.',
  hmr: 'Fetches were served from the dev Server Components HMR cache after a code edit; production has no HMR cache.',
};

export function devArtefactFinding(input: { artefact: DevArtefact; eventId: number; ts: number }): DevArtefactFinding {
  return {
    ...base(
      `dev-artefact:${input.artefact}`,
      'info',
      [],
      ARTEFACT_TEXT[input.artefact],
      [input.eventId],
      { pattern: 'no-action', text: 'Nothing to fix.' },
      input.ts,
    ),
    kind: 'dev-artefact',
    artefact: input.artefact,
  };
}
