/**
 * The overlay UI kept live: starts the feed from the stream server into `store`, provides the context and
 * renders <OverlayApp />. `<CacheScope />` renders it in its shadow root (layout `overlay`, with its own
 * <style>); the standalone window (`standalone.tsx`) renders it full-window (layout `window`, styles adopted
 * by the page so its Content-Security-Policy needs no inline styles).
 */
import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand/react';
import type { OverlayStore } from './core/store.js';
import type { Theme } from './core/types.js';
import { endpoint } from './transport/http.js';
import { startLiveFeed, type LiveFeed } from './transport/live-feed.js';
import { OverlayContext, createOverlayContext } from './views/context.js';
import { OverlayApp, type OverlayLayout } from './views/OverlayApp.js';
import { OVERLAY_CSS } from './views/styles.js';

/** Where "Open in a window" points: the page the stream server serves at `/`. */
export function standaloneWindowUrl(streamUrl: string): string {
  return endpoint(streamUrl, '/');
}

function openStandaloneWindow(streamUrl: string): void {
  window.open(standaloneWindowUrl(streamUrl), '_blank', 'noopener,noreferrer,popup,width=1200,height=800');
}

export function LiveOverlay({
  store,
  streamUrl,
  theme,
  layout = 'overlay',
}: {
  store: OverlayStore;
  streamUrl: string;
  theme: Theme;
  layout?: OverlayLayout;
}) {
  const source = useStore(store, (s) => s.source.kind);
  const feed = useRef<LiveFeed | null>(null);

  useEffect(() => {
    if (source !== 'live') return;
    const live = startLiveFeed(store, { url: streamUrl });
    feed.current = live;
    return () => {
      live.stop();
      if (feed.current === live) feed.current = null;
    };
  }, [store, streamUrl, source]);

  const context = useMemo(
    () =>
      createOverlayContext(store, {
        streamUrl,
        clearServer: async () => {
          if (feed.current) await feed.current.clearServer();
          else store.getState().actions.reset();
        },
        openWindow: layout === 'overlay' ? () => openStandaloneWindow(streamUrl) : undefined,
      }),
    [store, streamUrl, layout],
  );

  return (
    <OverlayContext.Provider value={context}>
      {layout === 'overlay' ? <style>{OVERLAY_CSS}</style> : null}
      <OverlayApp theme={theme} layout={layout} />
    </OverlayContext.Provider>
  );
}
