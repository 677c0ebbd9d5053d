/** The floating button: opens/closes the panel; shows open findings (red) and calls in the last request. */
import { useLayoutEffect, useRef, useState } from 'react';
import { togglePlacement, type Box, type Viewport } from '../store/keep-clear.js';
import { useActions, useDerived, useOverlayState } from './context.js';
import { TOGGLE_SHORTCUT } from './use-shortcut.js';

export function ToggleButton({
  panel,
  viewport,
  indicator,
}: {
  /** The panel's placement: when open it docks on the button's edge, and the button sits just past it. */
  panel: { open: boolean; offset: number; height: number };
  viewport: Viewport;
  indicator: Box | null;
}) {
  const open = useOverlayState((s) => s.open);
  const position = useOverlayState((s) => s.position);
  const ref = useRef<HTMLButtonElement>(null);
  const [measured, setMeasured] = useState({ width: 160, height: 32 });
  const findings = useDerived('openFindings');
  const calls = useDerived('lastRequestCalls');
  const { toggleOpen } = useActions();
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || element.offsetWidth === 0) return;
    if (element.offsetWidth !== measured.width || element.offsetHeight !== measured.height) {
      setMeasured({ width: element.offsetWidth, height: element.offsetHeight });
    }
  });
  const summary = `${findings} open finding${findings === 1 ? '' : 's'}, ${calls} call${calls === 1 ? '' : 's'} in the last request`;
  return (
    <button
      type="button"
      ref={ref}
      className="cs-toggle"
      style={togglePlacement(position, panel, measured, viewport, indicator)}
      aria-label={open ? 'Close cachescope' : 'Open cachescope'}
      aria-expanded={open}
      aria-controls="cachescope-panel"
      aria-keyshortcuts={TOGGLE_SHORTCUT}
      aria-describedby="cachescope-toggle-summary"
      title={`cachescope — ${summary} (${TOGGLE_SHORTCUT})`}
      onClick={toggleOpen}
      data-testid="cachescope-toggle"
    >
      <span aria-hidden="true">◉ cachescope</span>
      {findings > 0 ? (
        <span className="cs-count cs-count-danger" data-testid="cachescope-findings-count" aria-hidden="true">
          {findings}
        </span>
      ) : null}
      <span className="cs-count" data-testid="cachescope-last-request-calls" aria-hidden="true">
        {calls}
      </span>
      <span id="cachescope-toggle-summary" className="cs-sr-only">
        {summary}
      </span>
    </button>
  );
}
