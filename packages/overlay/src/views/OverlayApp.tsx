/**
 * The overlay's whole UI. Layout `overlay` (inside the page's shadow root): the floating button and, when open,
 * the panel. Layout `window` (the standalone window): the panel alone, always open, filling the window.
 */
import { panelPlacement } from '../store/keep-clear.js';
import type { OverlayLayout, Theme } from '../store/types.js';
import { useActions, useOverlayState } from './context.js';
import { Panel } from './Panel.js';
import { ToggleButton } from './ToggleButton.js';
import { useResolvedTheme } from './use-theme.js';
import { useNextIndicator } from './use-next-indicator.js';
import { useToggleShortcut } from './use-shortcut.js';

export function OverlayApp({ theme = 'system', layout = 'overlay' }: { theme?: Theme; layout?: OverlayLayout }) {
  const open = useOverlayState((s) => s.open);
  const position = useOverlayState((s) => s.position);
  const size = useOverlayState((s) => s.size);
  const { toggleOpen } = useActions();
  const resolved = useResolvedTheme(theme);
  const windowed = layout === 'window';
  useToggleShortcut(toggleOpen, !windowed);
  // Next's own dev-tools badge and this overlay keep out of each other's way
  const { indicator, viewport } = useNextIndicator(!windowed);
  const dock = position.startsWith('top') ? 'top' : 'bottom';
  const placement = panelPlacement(dock, size, viewport, indicator);
  if (windowed) {
    return (
      <div className="cs-root" data-theme={resolved} data-layout="window">
        <Panel layout="window" />
      </div>
    );
  }
  return (
    <div className="cs-root" data-theme={resolved} data-position={position}>
      <ToggleButton panel={{ open, ...placement }} viewport={viewport} indicator={indicator} />
      {open ? <Panel placement={placement} /> : null}
    </div>
  );
}
