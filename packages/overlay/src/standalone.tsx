/**
 * The standalone window: the same overlay UI, full-window (panel always open), streaming from the origin that
 * served this page (the instrument's stream server: `GET /` serves the page, `GET /ui/standalone.js` this
 * module, bundled with React, react-dom and zustand into `dist/standalone.js` by `scripts/bundle-standalone.mjs`).
 *
 * The page's Content-Security-Policy allows styles from 'self' only, so the CSS is adopted as a constructed
 * stylesheet rather than written into a <style> element. The module exports nothing: it mounts into `#root`.
 */
import { createRoot } from 'react-dom/client';
import { browserStorage } from './store/persist.js';
import { createOverlayStore } from './store/store.js';
import type { Theme } from './store/types.js';
import { LiveOverlay } from './LiveOverlay.js';
import { OVERLAY_CSS } from './views/styles.js';

const PAGE_CSS = `html, body { margin: 0; height: 100%; }`;
const THEMES: readonly Theme[] = ['light', 'dark', 'system'];

function adoptStyles(css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // no constructable stylesheets (older browsers): a <style> element, if the page's policy lets it apply
    const style = document.createElement('style');
    style.textContent = css;
    document.head.appendChild(style);
  }
}

interface StandaloneOptions {
  /** The stream server. Default: the origin that served the page. */
  streamUrl?: string;
  /** Default: `?theme=` of the page's URL, else `system`. */
  theme?: Theme;
}

/** Render the UI full-window into `element`; returns a function that unmounts it. */
function mountStandalone(element: HTMLElement, options: StandaloneOptions = {}): () => void {
  adoptStyles(`${PAGE_CSS}\n${OVERLAY_CSS}`);
  const asked = new URLSearchParams(location.search).get('theme') as Theme | null;
  const theme = options.theme ?? (asked && THEMES.includes(asked) ? asked : 'system');
  const store = createOverlayStore({ initialIsOpen: true, storage: browserStorage() });
  const root = createRoot(element);
  const target = { kind: 'url', url: options.streamUrl ?? location.origin } as const;
  root.render(<LiveOverlay store={store} target={target} theme={theme} layout="window" />);
  // several windows open at once: the title says whose
  const unsubscribe = store.subscribe((s) => {
    const title = s.connection.app
      ? `cachescope — ${s.connection.app.name}${s.connection.app.mode ? ` (${s.connection.app.mode})` : ''}`
      : 'cachescope';
    if (document.title !== title) document.title = title;
  });
  return () => {
    unsubscribe();
    root.unmount();
  };
}

const element = typeof document === 'undefined' ? null : document.getElementById('root');
if (element) mountStandalone(element);
