/** Small labelled badges: cache decisions, NO-OP, tag status, severity. */
import { DECISION_LABEL } from '../store/format.js';
import { TAG_STATUS_LABEL } from '../store/tags.js';
import type { CallDecision, Severity, TagStatus } from '../store/types.js';

export function DecisionBadge({ decision, reason }: { decision: CallDecision; reason?: string }) {
  return (
    <span className={`cs-badge cs-badge-${decision}`} title={reason} data-decision={decision}>
      {DECISION_LABEL[decision]}
    </span>
  );
}

export function NoopBadge() {
  return (
    <span
      className="cs-badge cs-badge-danger"
      title="This revalidation matched no live cache entry: it invalidated nothing"
      data-testid="cachescope-noop"
    >
      NO-OP
    </span>
  );
}

const TAG_STATUS_CLASS: Record<TagStatus, string> = { orphaned: 'danger', 'never-revalidated': 'info', ok: 'ok' };

export function TagStatusBadge({ status, reason }: { status: TagStatus; reason?: string }) {
  return (
    <span className={`cs-badge cs-badge-${TAG_STATUS_CLASS[status]}`} title={reason} data-status={status}>
      {TAG_STATUS_LABEL[status]}
    </span>
  );
}

const SEVERITY_CLASS: Record<Severity, string> = { error: 'danger', warning: 'warn', info: 'info' };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`cs-badge cs-badge-${SEVERITY_CLASS[severity]}`}>{severity.toUpperCase()}</span>;
}
