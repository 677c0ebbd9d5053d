/** One tag: its live entries, the calls that declared it, the revalidations that named it, its recent history. */
import { EntryTable } from './EntryTable.js';
import { CALL_KIND_LABEL, DECISION_LABEL, callKind, callLabel, formatClock, revalidationLabel, isNoop } from '../store/format.js';
import { TagStatusBadge } from './Badge.js';
import { InvalidateButtons } from './InvalidateButtons.js';
import { useActions, useDerived } from './context.js';

const MAX_CALLS = 50;

export function TagDetailPane() {
  const detail = useDerived('tagDetail');
  const { highlight, selectTag } = useActions();
  if (!detail) return null;
  const { row, entries, declaredBy, revalidatedBy } = detail;
  const recent = declaredBy.slice(-MAX_CALLS).reverse();
  return (
    <aside className="cs-detail" aria-label={`Tag ${row.tag}`} data-testid="cachescope-tag-detail">
      <div className="cs-card-head">
        <h3 className="cs-mono" title={row.written ? `stored by Next as ${row.tag}` : undefined}>
          {row.written ?? row.tag}
        </h3>
        <TagStatusBadge status={row.status} reason={row.orphanReason} />
        <button type="button" className="cs-btn" aria-label="Close tag details" onClick={() => selectTag(null)}>
          ×
        </button>
      </div>
      <InvalidateButtons tag={row.tag} />
      {row.orphanReason ? <p>Why orphaned: {row.orphanReason}</p> : null}
      <h3>Live entries ({entries.length})</h3>
      {entries.length === 0 ? (
        <p className="cs-muted">No cache entry carries this tag.</p>
      ) : (
        <EntryTable entries={entries} rowKey={(e) => e.key} last={{ title: 'State', cell: (e) => e.state }} />
      )}
      <h3>Declared by ({declaredBy.length} calls held)</h3>
      <ul className="cs-evidence">
        {recent.map((call) => (
          <li key={call.id}>
            <button type="button" className="cs-link" onClick={() => highlight('requests', String(call.id))}>
              #{call.id} {CALL_KIND_LABEL[callKind(call)]} {callLabel(call)}
              {call.type !== 'revalidate-call' ? ` — ${DECISION_LABEL[call.decision]}` : ''} on {call.route ?? '?'}
            </button>
          </li>
        ))}
      </ul>
      <h3>Revalidated by ({revalidatedBy.length})</h3>
      <ul className="cs-evidence">
        {revalidatedBy.map((rev) => (
          <li key={rev.id}>
            <button type="button" className="cs-link" onClick={() => highlight('revalidations', String(rev.id))}>
              {revalidationLabel(rev)} at {formatClock(rev.ts)} — {isNoop(rev) ? 'NO-OP' : `${rev.matched.length} matched`}
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
