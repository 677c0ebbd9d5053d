/**
 * The overlay UI kept live: starts the feed from the stream server into `store`, provides the context and
 * renders <OverlayApp />. `<CacheScope />` renders it in its shadow root (layout `overlay`, with its own
 * <style>); the standalone window (`standalone.tsx`) renders it full-window (layout `window`, styles adopted
 * by the page so its Content-Security-Policy needs no inline styles).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand/react';
import type { OverlayStore } from './store/store.js';
import type { StreamTarget } from './store/stream-url.js';
import type { OverlayLayout, Theme } from './store/types.js';
import { searchAppStream } from './stream/app-stream-search.js';
import { endpoint } from '@cachescope/instrument/protocol';
import { postInvalidate } from './stream/invalidate.js';
import { startLiveFeed, type LiveFeed } from './stream/live-feed.js';
import { OverlayContext, createOverlayContext } from './views/context.js';
import { OverlayApp } from './views/OverlayApp.js';
import { OVERLAY_CSS } from './views/styles.js';

/** Where "Open in a window" points: the page the stream server serves at `/`. */
export function standaloneWindowUrl(streamUrl: string): string {
  return endpoint(streamUrl, '/');
}

function openStandaloneWindow(streamUrl: string): void {
  window.open(standaloneWindowUrl(streamUrl), '_blank', 'noopener,noreferrer,popup,width=1200,height=800');
}

/** A stream that fails this many times in a row is looked for again (the app may have restarted on another port). */
const LOST_AFTER_ATTEMPTS = 3;

export function LiveOverlay({
  store,
  target,
  theme,
  layout = 'overlay',
  token,
}: {
  store: OverlayStore;
  target: StreamTarget;
  theme: Theme;
  layout?: OverlayLayout;
  /** The app's token: sent with clear, and enables invalidating in next dev. */
  token?: string;
}) {
  const source = useStore(store, (s) => s.source.kind);
  const feed = useRef<LiveFeed | null>(null);
  const [streamUrl, setStreamUrl] = useState<string | null>(target.kind === 'url' ? target.url : null);

  useEffect(() => {
    if (target.kind === 'url') setStreamUrl(target.url);
  }, [target]);

  useEffect(() => {
    if (target.kind !== 'app' || streamUrl !== null || source !== 'live') return;
    const search = searchAppStream(store, target, (found) => setStreamUrl(found.url));
    return () => search.stop();
  }, [store, target, streamUrl, source]);

  useEffect(() => {
    if (source !== 'live' || streamUrl === null) return;
    const appId = target.kind === 'app' ? target.hint?.id : undefined;
    const lost = () => setStreamUrl(null);
    const live = startLiveFeed(store, { url: streamUrl, app: appId, token, onWrongApp: target.kind === 'app' ? lost : undefined });
    feed.current = live;
    const unsubscribe =
      target.kind === 'app'
        ? store.subscribe((s) => {
            if (s.connection.status === 'error' && s.connection.attempts >= LOST_AFTER_ATTEMPTS) lost();
          })
        : undefined;
    return () => {
      unsubscribe?.();
      live.stop();
      if (feed.current === live) feed.current = null;
    };
  }, [store, streamUrl, source, target, token]);

  const context = useMemo(
    () =>
      createOverlayContext(store, {
        streamUrl: streamUrl ?? undefined,
        clearServer: async () => {
          if (feed.current) await feed.current.clearServer();
          else store.getState().actions.reset();
        },
        openWindow: layout === 'overlay' && streamUrl !== null ? () => openStandaloneWindow(streamUrl) : undefined,
        // next dev only: a production server offers no /invalidate, and the overlay offers no button for it
        invalidate:
          token && streamUrl !== null && process.env.NODE_ENV !== 'production' ? (t) => postInvalidate(streamUrl, token, t) : undefined,
      }),
    [store, streamUrl, layout, token],
  );

  return (
    <OverlayContext.Provider value={context}>
      {layout === 'overlay' ? <style>{OVERLAY_CSS}</style> : null}
      <OverlayApp theme={theme} layout={layout} />
    </OverlayContext.Provider>
  );
}
