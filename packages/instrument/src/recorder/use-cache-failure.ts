// A 'use cache' call whose cache handler's get() rejected (the app's own `cacheHandlers` entry threw): Next
// hands the rejection to the app, so the call was served by nothing and stored nothing. The event says
// so — decision `skip`, the handler's error — instead of a miss waiting for a set that never comes.
import type { UseCacheEvent } from '../protocol/events.js';
import { redactText } from '../analysis/redact.js';
import type { CacheIoFacts } from './facts.js';

type UseCacheDraft = Omit<UseCacheEvent, 'id' | 'pid'>;

/** `call`: the 'use cache' event finalize builds for this lookup with decision `skip`. */
export function failedUseCacheCall<T extends UseCacheDraft>(call: T, f: Pick<CacheIoFacts, 'handler' | 'failed'>): T {
  const kind = f.handler.replace(/^use-cache:/, '');
  return {
    ...call,
    decision: 'skip',
    tags: [],
    durationMs: undefined,
    reason: `the '${kind}' cache handler's get() failed, so the 'use cache' entry was neither read nor written (the app received the error)`,
    error: redactText(f.failed ?? 'unknown error').slice(0, 500),
  };
}
