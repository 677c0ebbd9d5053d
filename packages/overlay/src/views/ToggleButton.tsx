/** The floating button: opens/closes the panel; shows open findings (red) and calls in the last request. */
import type { CSSProperties } from 'react';
import type { Position } from '../core/types.js';
import { useActions, useDerived, useOverlayState } from './context.js';
import { TOGGLE_SHORTCUT } from './use-shortcut.js';

const GAP = 12;

function placement(position: Position, open: boolean, size: number): CSSProperties {
  const [vertical, horizontal] = position.split('-') as ['top' | 'bottom', 'left' | 'right'];
  // when the panel is open it docks on the button's edge: the button sits just past it
  return { [vertical]: open ? size + GAP : GAP, [horizontal]: GAP };
}

export function ToggleButton() {
  const open = useOverlayState((s) => s.open);
  const size = useOverlayState((s) => s.size);
  const position = useOverlayState((s) => s.position);
  const findings = useDerived('openFindings');
  const calls = useDerived('lastRequestCalls');
  const { toggleOpen } = useActions();
  const summary = `${findings} open finding${findings === 1 ? '' : 's'}, ${calls} call${calls === 1 ? '' : 's'} in the last request`;
  return (
    <button
      type="button"
      className="cs-toggle"
      style={placement(position, open, size)}
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
