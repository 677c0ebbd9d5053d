/**
 * Keeps looking for the app's own stream until it is found: one search right away, then again with backoff,
 * the store's connection saying what the stream ports hold meanwhile. The port found last is remembered for
 * the tab, so a reload asks it first.
 */
import type { OverlayStore } from '../store/store.js';
import type { AppStreamHint } from '../store/types.js';
import { findAppStream, type FoundStream } from './find-stream.js';
import { MAX_RETRY_MS, RETRY_MS, type FetchLike } from '@cachescope/instrument/protocol';

export interface AppStreamSearch {
  stop(): void;
}

const REMEMBERED = 'cachescope:stream-port:';

function remembered(hint: AppStreamHint | null): { get(): number | undefined; set(port: number): void } {
  const key = `${REMEMBERED}${hint?.id ?? 'none'}`;
  return {
    get() {
      try {
        const value = Number(sessionStorage.getItem(key));
        return Number.isInteger(value) && value > 0 ? value : undefined;
      } catch {
        return undefined;
      }
    },
    set(port) {
      try {
        sessionStorage.setItem(key, String(port));
      } catch {
        /* no storage: search in port order next time */
      }
    },
  };
}

export function searchAppStream(
  store: OverlayStore,
  target: { hint: AppStreamHint | null; port: number },
  onFound: (found: FoundStream) => void,
  options: { fetch?: FetchLike; retryMs?: number; maxRetryMs?: number } = {},
): AppStreamSearch {
  const { setConnection } = store.getState().actions;
  const memory = remembered(target.hint);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const app = target.hint ? { id: target.hint.id, name: target.hint.name } : undefined;

  const attempt = async (attempts: number) => {
    if (stopped) return;
    setConnection({ status: 'searching', attempts, app, ...(attempts === 0 ? { search: undefined } : {}) });
    const result = await findAppStream(target.hint, { firstPort: target.port, preferPort: memory.get(), fetch: options.fetch });
    if (stopped) return;
    if (result.found) {
      memory.set(Number(new URL(result.found.url).port));
      setConnection({ search: undefined, lastError: undefined });
      onFound(result.found);
      return;
    }
    setConnection({ status: 'searching', attempts: attempts + 1, search: result.report });
    const delay = Math.min(options.maxRetryMs ?? MAX_RETRY_MS, (options.retryMs ?? RETRY_MS) * 2 ** attempts);
    timer = setTimeout(() => void attempt(attempts + 1), delay);
  };
  void attempt(0);

  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
