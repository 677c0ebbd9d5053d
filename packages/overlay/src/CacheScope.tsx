'use client';
/**
 * <CacheScope />: the overlay, for the root layout. Renders nothing on the server and on the first client
 * render (so hydration never sees it); after mount it creates a host element with a shadow root, renders the
 * UI there through a portal with its own <style>, and starts the live feed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { browserStorage } from './store/persist.js';
import { createOverlayStore, type OverlayStore } from './store/store.js';
import { resolveStreamTarget } from './store/stream-url.js';
import type { Position, Theme } from './store/types.js';
import { LiveOverlay } from './LiveOverlay.js';

export interface CacheScopeProps {
  /** Corner of the floating button (the panel docks on that edge). Default `bottom-right`. */
  position?: Position;
  /** Open the panel on first visit (later visits restore the last state). Default false. */
  initialIsOpen?: boolean;
  /**
   * The instrument's stream server. Default `NEXT_PUBLIC_CACHESCOPE_URL`, else the stream of this app (the one
   * withCacheScope() built the page for), wherever it listens among the stream ports (from CACHESCOPE_PORT, default 7340).
   */
  streamUrl?: string;
  /** Default `system`. */
  theme?: Theme;
  /**
   * The app's token for clearing the stream and invalidating from the overlay. Rendered from a Server Component
   * (the root layout), `<CacheScope />` reads it on the server by itself; pass it (`serverOverlayToken()` from
   * `@cachescope/overlay/token`) when you render the overlay from a Client Component.
   */
  token?: string;
}

interface Mounted {
  root: ShadowRoot;
  store: OverlayStore;
}

export function CacheScope({ position, initialIsOpen = false, streamUrl, theme = 'system', token }: CacheScopeProps) {
  const [mounted, setMounted] = useState<Mounted | null>(null);
  const initial = useRef({ position, initialIsOpen });
  const target = useMemo(() => resolveStreamTarget(streamUrl), [streamUrl]);

  useEffect(() => {
    const host = document.createElement('div');
    host.setAttribute('data-cachescope', '');
    host.style.setProperty('all', 'initial');
    document.body.appendChild(host);
    const root = host.attachShadow({ mode: 'open' });
    const store = createOverlayStore({
      initialIsOpen: initial.current.initialIsOpen,
      position: initial.current.position,
      storage: browserStorage(),
    });
    setMounted({ root, store });
    return () => {
      setMounted(null);
      host.remove();
    };
  }, []);

  if (!mounted) return null;
  return createPortal(<LiveOverlay store={mounted.store} target={target} theme={theme} token={token} />, mounted.root);
}
