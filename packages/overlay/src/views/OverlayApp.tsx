/** The overlay's whole UI (inside the shadow root): the floating button and, when open, the panel. */
import type { Theme } from '../core/types.js';
import { useActions, useOverlayState } from './context.js';
import { Panel } from './Panel.js';
import { ToggleButton } from './ToggleButton.js';
import { useResolvedTheme } from './use-theme.js';
import { useToggleShortcut } from './use-shortcut.js';

export function OverlayApp({ theme = 'system' }: { theme?: Theme }) {
  const open = useOverlayState((s) => s.open);
  const position = useOverlayState((s) => s.position);
  const { toggleOpen } = useActions();
  const resolved = useResolvedTheme(theme);
  useToggleShortcut(toggleOpen);
  return (
    <div className="cs-root" data-theme={resolved} data-position={position}>
      <ToggleButton />
      {open ? <Panel /> : null}
    </div>
  );
}
