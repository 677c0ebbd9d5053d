/** cachescope's own problems, one line per distinct fault and its count; dismissible; absent when there are none. */
import { useMemo } from 'react';
import { hasUndismissed, MAX_PROBLEM_LINES, problemLines, problemsHeadline } from '../store/internal-errors.js';
import { useActions, useOverlayState } from './context.js';

export function InternalErrorsBanner() {
  const errors = useOverlayState((s) => s.analysis.internalErrors);
  const dismissed = useOverlayState((s) => s.dismissedProblems);
  const { dismissProblems } = useActions();
  const lines = useMemo(() => problemLines(errors), [errors]);
  if (!hasUndismissed(lines, dismissed)) return null;
  const shown = lines.slice(0, MAX_PROBLEM_LINES);
  const more = lines.length - shown.length;
  return (
    <div className="cs-banner cs-banner-problems" role="status" data-testid="cachescope-internal-errors">
      <div className="cs-problems">
        <strong>{problemsHeadline(lines)}</strong>
        <ul>
          {shown.map((line) => (
            <li key={line.key} title={line.text} data-where={line.where}>
              {line.text}
            </li>
          ))}
          {more > 0 ? <li>… and {more} more</li> : null}
        </ul>
      </div>
      <button
        type="button"
        className="cs-btn"
        onClick={() => dismissProblems(lines.map((l) => l.key))}
        aria-label="Dismiss internal problems"
      >
        Dismiss
      </button>
    </div>
  );
}
