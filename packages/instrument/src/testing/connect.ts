/**
 * `connectCacheScope()`: the app's stream, for assertions in the app's own e2e tests (Playwright, Vitest, any
 * runner: a failed expectation throws `CacheScopeAssertionError`). Mark a point, run a step, then assert on
 * what the cache did after the mark:
 *
 *   const cache = await connectCacheScope();           // the stream of the app in the current folder
 *   const step = await cache.mark();
 *   await page.getByRole('button', { name: 'Save' }).click();
 *   await step.expectRevalidation('dashboard:42', { matched: 1 });
 *   await step.expectNoFindings(['noop-revalidation']);
 */
import { findAppStream, newestEventId, readSnapshot, type FindOptions } from '../cli/stream-access.js';
import type { Snapshot } from '../protocol/events.js';
import { createMark, type Mark } from './mark.js';

export interface CacheScopeConnection {
  /** The stream's base URL. */
  readonly url: string;
  /** What the stream holds now. */
  snapshot(): Promise<Snapshot>;
  /** A point in the stream: the mark's expectations look only at what happened after it. */
  mark(): Promise<Mark>;
}

/** Calls still running when `mark()` is asked may report just after; this lets them land first. */
const MARK_SETTLE_MS = 100;

export async function connectCacheScope(options: FindOptions = {}): Promise<CacheScopeConnection> {
  const { url } = await findAppStream(options);
  const snapshot = () => readSnapshot(url);
  return {
    url,
    snapshot,
    async mark() {
      await new Promise((r) => setTimeout(r, MARK_SETTLE_MS));
      const at = await snapshot();
      return createMark(snapshot, newestEventId(at), at);
    },
  };
}
