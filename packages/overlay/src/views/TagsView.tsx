/** Tags: every tag with live entries, user scopes, last revalidation and status; click one for its detail. */
import { useEffect, useRef } from 'react';
import { formatClock } from '../store/format.js';
import type { TagRow } from '../store/types.js';
import { TagStatusBadge } from './Badge.js';
import { useActions, useDerived, useOverlayState } from './context.js';
import { TagDetailPane } from './TagDetailPane.js';

function LastRevalidation({ row }: { row: TagRow }) {
  const { highlight } = useActions();
  const last = row.lastRevalidation;
  if (!last) return <span className="cs-muted">never</span>;
  return (
    <button type="button" className="cs-link" onClick={() => highlight('revalidations', String(last.id))}>
      {last.api} at {formatClock(last.ts)} ({last.matched} matched)
    </button>
  );
}

function TagTableRow({ row, selected, highlighted }: { row: TagRow; selected: boolean; highlighted: boolean }) {
  const { selectTag } = useActions();
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlighted]);
  return (
    <tr
      ref={ref}
      aria-selected={selected}
      className={highlighted ? 'cs-highlight' : undefined}
      data-testid="cachescope-tag-row"
      data-tag={row.tag}
      data-status={row.status}
    >
      <td>
        <button
          type="button"
          className="cs-link cs-mono"
          onClick={() => selectTag(selected ? null : row.tag)}
          aria-label={`Show tag ${row.written ?? row.tag}`}
          title={row.written ? `stored by Next as ${row.tag}` : undefined}
        >
          {row.written ?? row.tag}
        </button>
        {row.implicit ? <span className="cs-muted"> (implicit)</span> : null}
      </td>
      <td>
        <TagStatusBadge status={row.status} reason={row.orphanReason} />
        {row.orphanReason ? <div className="cs-muted">{row.orphanReason}</div> : null}
      </td>
      <td>{row.liveEntries}</td>
      <td>
        {row.scopes ?? (
          <span className="cs-muted" title="The entries do not say which user they belong to">
            unknown
          </span>
        )}
      </td>
      <td>
        <LastRevalidation row={row} />
      </td>
    </tr>
  );
}

export function TagsView() {
  const rows = useDerived('tags');
  const selected = useOverlayState((s) => s.selectedTag);
  const highlighted = useOverlayState((s) => (s.highlight?.tab === 'tags' ? s.highlight.key : null));
  if (rows.length === 0) {
    return <p className="cs-empty">No tags yet. Tags appear when a call declares one or a revalidation names one.</p>;
  }
  return (
    <>
      <div className="cs-scroll">
        <table className="cs-table" aria-label="Tags">
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Status</th>
              <th scope="col">Live entries</th>
              <th scope="col">User scopes</th>
              <th scope="col">Last revalidation</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <TagTableRow key={row.tag} row={row} selected={row.tag === selected} highlighted={row.tag === highlighted} />
            ))}
          </tbody>
        </table>
      </div>
      {selected !== null ? <TagDetailPane /> : null}
    </>
  );
}
