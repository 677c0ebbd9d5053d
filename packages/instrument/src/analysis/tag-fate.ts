/**
 * Where a fetch's `next.tags` ended up (research §5.2 item 4). Tags reach a cache only if
 * (1) the fetch itself was written to the data cache, (2) it was served from it, or (3) the work unit
 * collects inner fetch tags (`prerender*`, `validation-client`, `cache`, `private-cache`; patch-fetch
 * 308–339). In `request`, `unstable-cache` and `build-time-generator` units the tags of an uncached
 * fetch are silently dropped: the article's broken pattern.
 */
import type { CallDecision, TagTarget, WorkUnit } from '../protocol/events.js';
import type { LookupResult } from './decision.js';
import { collectsFetchTags } from './reasons.js';
import { overLimitReason, tagsOverLimit } from './tag-limits.js';

export interface TagFateInputs {
  stored: boolean;
  lookup: LookupResult;
  workUnit?: WorkUnit;
  /** The corrected decision; a `deduped` call inherits the fate of the call it joined. */
  decision?: CallDecision;
  /** Why the fetch was not cached (the decision's reason), used to word `dropReason`. */
  reason?: string;
  /** The tags Next handed the cache handler (its lookup or write): what a stored entry really carries. */
  nextTags?: readonly string[];
}

export interface TagFate {
  attached: string[];
  dropped: string[];
  attachedTo?: TagTarget;
  dropReason?: string;
  /** Dropped tags Next left off an entry the call did reach, for its tag limits. */
  overLimit?: string[];
}

/** Tags that reached `attachedTo`, minus those Next's tag limits left off. */
function reached(tags: string[], attachedTo: TagTarget, nextTags: readonly string[] | undefined): TagFate {
  const over = tagsOverLimit(tags, nextTags);
  if (over.length === 0) return { attached: tags, dropped: [], attachedTo };
  const dropped = over.map((o) => o.tag);
  const limits = [...new Set(over.map((o) => o.limit))];
  return {
    attached: tags.filter((t) => !dropped.includes(t)),
    dropped,
    attachedTo,
    dropReason: limits.map(overLimitReason).join('; '),
    overLimit: dropped,
  };
}

export function tagFate(declaredTags: readonly string[] | undefined, inputs: TagFateInputs): TagFate {
  const tags = [...new Set(declaredTags ?? [])];
  if (tags.length === 0 || inputs.decision === 'deduped') return { attached: [], dropped: [] };

  if (inputs.stored || inputs.lookup === 'hit' || inputs.lookup === 'stale') {
    return reached(tags, 'own-entry', inputs.nextTags);
  }
  if (collectsFetchTags(inputs.workUnit)) {
    const attachedTo: TagTarget = inputs.workUnit === 'cache' || inputs.workUnit === 'private-cache' ? 'enclosing-cache' : 'prerender';
    // Next collects the tags it kept, not the declaration.
    return reached(tags, attachedTo, undefined);
  }
  const why = inputs.reason ?? 'no data-cache entry was written';
  let dropReason: string;
  if (inputs.workUnit === 'unstable-cache') {
    dropReason = `inside unstable_cache a fetch is never cached and its tags are not collected (${why}); put the tag in unstable_cache's tags option`;
  } else {
    const unit = inputs.workUnit ?? 'request';
    dropReason = `the fetch was not cached (${why}) and a '${unit}' work unit does not collect fetch tags, so next.tags reached no cache entry`;
  }
  return { attached: [], dropped: tags, dropReason };
}
