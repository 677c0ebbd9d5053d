// What the app gets for `import … from 'next/cache'` once withCacheScope() aliases it: Next's own
// exports, with the revalidation APIs and unstable_cache observed on the way through. It imports no
// Node modules (client bundles resolve next/cache too) and reaches the recorder only through its
// global slot; without a recorder every function is a plain pass-through.
import * as real from 'next/cache.js';
import { getRecorder, guarded, now } from '../../recorder/global.js';
import { callSite, listKey, placeMemo, repeatedCallSite } from './call-site.js';
import { observeSettled } from '../observe-settled.js';
import { callNext } from './own-frames.js';
import type { RevalidateApi, RevalidateCallFacts, UnstableCacheFacts } from '../../recorder/facts.js';

export * from 'next/cache.js';

function observeRevalidate<A extends unknown[], T>(api: RevalidateApi, nextApi: (...args: A) => T, args: A, caller: Function): T {
  const recorder = getRecorder();
  const facts =
    recorder &&
    guarded<RevalidateCallFacts | undefined>('shim.revalidate', undefined, () => ({
      kind: 'revalidate-call',
      api,
      args: [...args],
      site: callSite(caller),
      t: now(),
      ctx: recorder.context(),
    }));
  try {
    return callNext(caller, nextApi, args, 1);
  } catch (error) {
    if (facts) facts.threw = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    if (facts) recorder!.record(facts);
  }
}

export const revalidateTag: typeof real.revalidateTag = function revalidateTag(...args: Parameters<typeof real.revalidateTag>) {
  return observeRevalidate('revalidateTag', real.revalidateTag, args, revalidateTag);
};

export const updateTag: typeof real.updateTag = function updateTag(...args: Parameters<typeof real.updateTag>) {
  return observeRevalidate('updateTag', real.updateTag, args, updateTag);
};

export const revalidatePath: typeof real.revalidatePath = function revalidatePath(...args: Parameters<typeof real.revalidatePath>) {
  return observeRevalidate('revalidatePath', real.revalidatePath, args, revalidatePath);
};

export const refresh: typeof real.refresh = function refresh(...args: Parameters<typeof real.refresh>) {
  return observeRevalidate('refresh', real.refresh, args, refresh);
};

const UNSTABLE_CACHE_PLACES = placeMemo('unstable_cache');

export const unstable_cache: typeof real.unstable_cache = function unstable_cache(cb, keyParts, options) {
  const cached = real.unstable_cache(cb, keyParts, options);
  // the place's keys depend on the declaration only (one inside a render is new every request): built once
  const keyPartsKey = listKey(keyParts);
  const tagsKey = listKey(options?.tags);
  const observed = function (this: unknown, ...args: unknown[]) {
    const recorder = getRecorder();
    if (!recorder) return cached.apply(this, args as never);
    const frame = guarded<UnstableCacheFacts | undefined>('shim.unstable_cache', undefined, () => {
      const ctx = recorder.context();
      return {
        kind: 'unstable-cache',
        t: now(),
        ctx,
        keyParts: [...(keyParts ?? []), ...args],
        declaredKeyParts: keyParts?.length ?? 0,
        tags: options?.tags,
        revalidate: options?.revalidate,
        site: repeatedCallSite(UNSTABLE_CACHE_PLACES, observed, ctx.route, keyPartsKey, tagsKey, undefined),
      };
    });
    if (!frame) return cached.apply(this, args as never);
    guarded('shim.unstable_cache', undefined, () => recorder.calls.open(recorder.work?.(), frame));
    const result = cached.apply(this, args as never);
    recorder.record(frame);
    return observeSettled('shim.unstable_cache', result, ({ failed }) => {
      frame.end = now();
      frame.failed = failed;
    });
  } as typeof cached;
  return observed;
};
