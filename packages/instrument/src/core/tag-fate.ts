/**
 * Where a fetch's `next.tags` ended up (research §5.2 item 4). Tags reach a cache only if
 * (1) the fetch itself was written to the data cache, (2) it was served from it, or (3) the work unit
 * collects inner fetch tags (`prerender*`, `validation-client`, `cache`, `private-cache`; patch-fetch
 * 308–339). In `request`, `unstable-cache` and `build-time-generator` units the tags of an uncached
 * fetch are silently dropped: the article's broken pattern.
 */
import type { CallDecision, TagTarget, WorkUnit } from './events.js';
import type { LookupResult } from './decision.js';
import { collectsFetchTags } from './reasons.js';

export interface TagFateInputs {
  stored: boolean;
  lookup: LookupResult;
  workUnit?: WorkUnit;
  /** The corrected decision; a `deduped` call inherits the fate of the call it joined. */
  decision?: CallDecision;
  /** Why the fetch was not cached (the decision's reason), used to word `dropReason`. */
  reason?: string;
}

export interface TagFate {
  attached: string[];
  dropped: string[];
  attachedTo?: TagTarget;
  dropReason?: string;
}

export function tagFate(declaredTags: readonly string[] | undefined, inputs: TagFateInputs): TagFate {
  const tags = [...new Set(declaredTags ?? [])];
  if (tags.length === 0 || inputs.decision === 'deduped') return { attached: [], dropped: [] };

  if (inputs.stored || inputs.lookup === 'hit' || inputs.lookup === 'stale') {
    return { attached: tags, dropped: [], attachedTo: 'own-entry' };
  }
  if (collectsFetchTags(inputs.workUnit)) {
    const attachedTo: TagTarget =
      inputs.workUnit === 'cache' || inputs.workUnit === 'private-cache' ? 'enclosing-cache' : 'prerender';
    return { attached: tags, dropped: [], attachedTo };
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
