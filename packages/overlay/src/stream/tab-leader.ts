/**
 * Which tab of the app holds the one stream connection. Web Locks when the browser has them (the lock is freed
 * when the tab closes or crashes); else a localStorage heartbeat (a leader that stops beating for 3 beats is
 * replaced); else (no storage either, e.g. Node) every instance leads alone.
 */
import type { KeyValueStorage } from '../store/persist.js';

export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface ElectionOptions {
  /** `navigator.locks` by default; null to skip Web Locks. */
  locks?: LockManagerLike | null;
  /** Used when there are no Web Locks; `localStorage` by default in the browser. */
  storage?: (KeyValueStorage & Pick<Storage, 'removeItem'>) | null;
  heartbeatMs?: number;
}

export interface Election {
  readonly mechanism: 'locks' | 'heartbeat' | 'solo';
  stop(): void;
}

function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null;
}

/** Calls `onLeader` once this instance becomes the leader for `name` (maybe right away, maybe never). */
export function electLeader(name: string, onLeader: () => void, options: ElectionOptions = {}): Election {
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  if (locks) return lockElection(locks, name, onLeader);
  const storage = options.storage ?? null;
  if (storage) return heartbeatElection(storage, name, onLeader, options.heartbeatMs ?? 1000);
  onLeader();
  return { mechanism: 'solo', stop() {} };
}

function lockElection(locks: LockManagerLike, name: string, onLeader: () => void): Election {
  const abort = new AbortController();
  let release: (() => void) | null = null;
  let stopped = false;
  locks
    .request(name, { signal: abort.signal }, () => {
      if (stopped) return Promise.resolve();
      onLeader();
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    .catch(() => undefined); // aborted while waiting
  return {
    mechanism: 'locks',
    stop() {
      stopped = true;
      abort.abort();
      release?.();
    },
  };
}

interface Beat {
  id: string;
  ts: number;
}

function heartbeatElection(
  storage: KeyValueStorage & Pick<Storage, 'removeItem'>,
  name: string,
  onLeader: () => void,
  beatMs: number,
): Election {
  const key = `cachescope:leader:${name}`;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  let leading = false;
  let claimed = false;

  const read = (): Beat | null => {
    try {
      const raw = storage.getItem(key);
      return raw ? (JSON.parse(raw) as Beat) : null;
    } catch {
      return null;
    }
  };
  const write = () => {
    try {
      storage.setItem(key, JSON.stringify({ id, ts: Date.now() } satisfies Beat));
    } catch {
      /* storage full or gone: the next tick tries again */
    }
  };

  const tick = () => {
    const beat = read();
    const mine = beat?.id === id;
    if (leading) {
      write(); // a leader keeps leading: the stream is not handed over while it works
      return;
    }
    if (mine && claimed) {
      // our claim survived a full beat: nobody else claimed at the same time
      leading = true;
      write();
      onLeader();
      return;
    }
    const vacant = !beat || Date.now() - beat.ts > beatMs * 3;
    if (vacant) {
      write();
      claimed = true;
    } else claimed = false;
  };

  tick();
  const timer = setInterval(tick, beatMs);
  return {
    mechanism: 'heartbeat',
    stop() {
      clearInterval(timer);
      if (read()?.id === id) {
        try {
          storage.removeItem(key);
        } catch {
          /* ignore */
        }
      }
    },
  };
}
