/**
 * Keeps a store live: loads `/snapshot` at start, then follows `GET /events` with `Last-Event-ID` replay,
 * applying each SSE batch as one store update, and refreshes the server's analysis (tags, revalidations,
 * findings) from `/snapshot` after batches, at most every `snapshotIntervalMs`.
 *
 * Across tabs of one app only the leader tab holds the SSE connection and relays what it receives on a
 * BroadcastChannel; the other tabs load the snapshot once and then listen. When the leader goes away another
 * tab takes over and replays from the last id it holds.
 */
import { errorText, openStream, type FetchLike, type StreamClient } from '@cachescope/instrument/protocol';
import { SNAPSHOT_REFRESH_MS } from '../store/constants.js';
import type { KeyValueStorage } from '../store/persist.js';
import type { OverlayStore } from '../store/store.js';
import type { Analysis, CacheScopeEvent, ConnectionState, Snapshot, StreamHello } from '../store/types.js';
import { fetchSnapshot, postClear } from './http.js';
import { createRefreshThrottle } from './refresh-throttle.js';
import { openTabChannel, type TabChannel, type TabMessage } from './tab-channel.js';
import { electLeader, type Election, type LockManagerLike } from './tab-leader.js';

export interface ShareOptions {
  /** BroadcastChannel and lock name. Default: derived from the stream URL. */
  name?: string;
  locks?: LockManagerLike | null;
  storage?: (KeyValueStorage & Pick<Storage, 'removeItem'>) | null;
  heartbeatMs?: number;
  BroadcastChannel?: new (name: string) => BroadcastChannel;
}

export interface LiveFeedOptions {
  /** Stream server base URL, e.g. `http://127.0.0.1:7340`. */
  url: string;
  /** The app id this overlay belongs to: a stream of another app (its `hello` says) is dropped at once. */
  app?: string;
  /** The stream at `url` turned out to serve another app (the feed has stopped following it). */
  onWrongApp?(hello: Partial<StreamHello>): void;
  fetch?: FetchLike;
  /** The app's token (rendered into the page by the server side of <CacheScope />), sent with POST /clear. */
  token?: string;
  /** Share one connection across tabs. Default: on in browsers that have BroadcastChannel. */
  share?: boolean | ShareOptions;
  snapshotIntervalMs?: number;
  retryMs?: number;
  maxRetryMs?: number;
}

export interface LiveFeed {
  stop(): void;
  /** `POST /clear` on the server, then empty this store (other tabs follow through the stream's `clear`). */
  clearServer(): Promise<void>;
  /** Re-read `/snapshot` now. */
  refresh(): Promise<void>;
}

function analysisOf(snapshot: Partial<Snapshot>): Analysis {
  return {
    tags: snapshot.tags ?? [],
    revalidations: snapshot.revalidations ?? [],
    findings: snapshot.findings ?? [],
    index: snapshot.index,
    internalErrors: snapshot.internalErrors,
    generatedAt: snapshot.generatedAt,
  };
}

function maxId(events: readonly CacheScopeEvent[] | undefined): number {
  let max = 0;
  for (const e of events ?? []) if (e.id > max) max = e.id;
  return max;
}

function shareSettings(options: LiveFeedOptions): ShareOptions | null {
  const browser = typeof window !== 'undefined' && typeof BroadcastChannel !== 'undefined';
  if (options.share === false || (options.share === undefined && !browser)) return null;
  const given = typeof options.share === 'object' ? options.share : {};
  let storage = given.storage;
  if (storage === undefined) {
    try {
      storage = typeof localStorage === 'undefined' ? null : localStorage;
    } catch {
      storage = null;
    }
  }
  return { ...given, storage, name: given.name ?? `cachescope:${options.url}` };
}

export function startLiveFeed(store: OverlayStore, options: LiveFeedOptions): LiveFeed {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const actions = store.getState().actions;
  const share = shareSettings(options);
  let stopped = false;
  /** Highest event id received (applied or held by pause): the replay cursor. */
  let cursor = 0;
  let serverPid: number | undefined;
  let stream: StreamClient | null = null;
  let channel: TabChannel | null = null;
  let election: Election | null = null;
  let role: ConnectionState['role'] = share ? 'follower' : 'solo';

  const setConnection = (patch: Partial<ConnectionState>) => {
    actions.setConnection({ ...patch, role });
    if (role === 'leader') channel?.post({ t: 'status', connection: store.getState().connection });
  };

  const loadSnapshot = async () => {
    // Once events are held the stream brings the rest: refresh only the analysis (a big session's events
    // would otherwise be serialised by the app's server every refresh).
    const snapshot = await fetchSnapshot(options.url, fetchImpl, undefined, cursor === 0);
    if (stopped) return;
    cursor = Math.max(cursor, maxId(snapshot.events));
    actions.applySnapshot(snapshot);
    if (role === 'leader') channel?.post({ t: 'analysis', analysis: analysisOf(snapshot), dropped: snapshot.dropped });
  };
  const refresher = createRefreshThrottle(loadSnapshot, options.snapshotIntervalMs ?? SNAPSHOT_REFRESH_MS);

  const forgetHistory = () => {
    cursor = 0;
    actions.reset();
    if (role === 'leader') channel?.post({ t: 'clear' });
  };

  const onHello = (hello: Partial<StreamHello>) => {
    if (options.app !== undefined && hello.app?.id !== options.app) {
      stream?.close();
      stream = null;
      const serves = hello.app ? `app ${hello.app.name} (${hello.app.dir})` : 'a stream of no app';
      setConnection({ status: 'error', lastError: `${options.url} serves ${serves}, not this app` });
      options.onWrongApp?.(hello);
      return;
    }
    if (hello.app) setConnection({ app: hello.app });
    const restarted = serverPid !== undefined && hello.pid !== undefined && hello.pid !== serverPid;
    if (typeof hello.pid === 'number') serverPid = hello.pid;
    setConnection({ serverPid });
    if (typeof hello.lastId === 'number' && hello.lastId < cursor) {
      // ids restarted (server restart or a clear that restarts ids): the server replays from its start
      forgetHistory();
      refresher.schedule();
    } else if (restarted) {
      // another process now serves the stream and its ids went past ours: replay it from the start
      forgetHistory();
      stream?.reconnect();
      refresher.schedule();
    }
  };

  const becomeLeader = async () => {
    if (stopped) return;
    role = share ? 'leader' : 'solo';
    cursor = Math.max(cursor, store.getState().lastEventId);
    setConnection({ status: 'connecting', attempts: 0 });
    if (cursor === 0) {
      try {
        await refresher.now();
      } catch {
        /* the stream retries on its own; the snapshot is refreshed after the first batch */
      }
    }
    if (stopped) return;
    stream = openStream(
      {
        url: options.url,
        cursor: () => cursor,
        fetch: fetchImpl,
        retryMs: options.retryMs,
        maxRetryMs: options.maxRetryMs,
      },
      {
        onHello,
        onBatch(events, lastId) {
          cursor = Math.max(cursor, lastId ?? maxId(events));
          actions.applyBatch(events);
          channel?.post({ t: 'batch', events });
          refresher.schedule();
        },
        onGap(gap) {
          actions.noteGap(gap);
          channel?.post({ t: 'gap', gap });
        },
        onClear() {
          forgetHistory();
          refresher.schedule();
        },
        onFindings(findings) {
          actions.applyFindings(findings);
          channel?.post({ t: 'findings', findings });
        },
        onStatus(status, detail) {
          setConnection({ status, attempts: detail.attempts, lastError: detail.error });
        },
      },
    );
  };

  const onTabMessage = (message: TabMessage) => {
    if (role === 'leader') {
      if (message.t === 'join') channel?.post({ t: 'status', connection: store.getState().connection });
      return;
    }
    switch (message.t) {
      case 'batch':
        cursor = Math.max(cursor, maxId(message.events));
        actions.applyBatch(message.events);
        return;
      case 'analysis':
        actions.applySnapshot({ ...message.analysis, dropped: message.dropped });
        return;
      case 'findings':
        actions.applyFindings(message.findings);
        return;
      case 'gap':
        actions.noteGap(message.gap);
        return;
      case 'clear':
        cursor = 0;
        actions.reset();
        return;
      case 'status':
        actions.setConnection({ ...message.connection, role: 'follower' });
        return;
      default:
        return;
    }
  };

  if (share) {
    channel = openTabChannel(share.name!, onTabMessage, share.BroadcastChannel);
  }
  if (share && channel) {
    setConnection({ status: 'connecting', attempts: 0 });
    channel.post({ t: 'join' });
    // a follower shows everything recorded so far right away; the leader relays what comes next
    void loadSnapshot().catch((error) => actions.setConnection({ lastError: errorText(error) }));
    election = electLeader(share.name!, () => void becomeLeader(), share);
  } else {
    role = 'solo';
    void becomeLeader();
  }

  const onPageHide = () => feed.stop();
  if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);

  const feed: LiveFeed = {
    stop() {
      if (stopped) return;
      stopped = true;
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onPageHide);
      refresher.stop();
      stream?.close();
      election?.stop();
      channel?.close();
      actions.setConnection({ status: 'idle', attempts: 0 });
    },
    async clearServer() {
      await postClear(options.url, fetchImpl, options.token);
      cursor = 0;
      actions.reset();
    },
    refresh: () => refresher.now(),
  };
  return feed;
}
