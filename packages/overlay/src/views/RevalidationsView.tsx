/** Revalidations: each revalidateTag / updateTag / revalidatePath / refresh, what it matched; zero matches is NO-OP. */
import { EntryTable } from './EntryTable.js';
import { useEffect, useRef } from 'react';
import { formatClock, formatProfile, isNoop, revalidationLabel } from '../store/format.js';
import type { Revalidation } from '../store/types.js';
import { NoopBadge } from './Badge.js';
import { InstanceLabel } from './InstanceLabel.js';
import { useActions, useDerived, useOverlayState } from './context.js';
import { SourceLink } from './SourceLink.js';

const STATUS_TEXT: Record<Revalidation['status'], string> = {
  pending: 'pending (commit not seen yet)',
  committed: 'committed',
  'no-cache-effect': 'no cache effect (re-render only)',
  failed: 'failed',
};

function Outcome({ rev }: { rev: Revalidation }) {
  if (isNoop(rev)) return <NoopBadge />;
  if (rev.status === 'committed') {
    return (
      <span className="cs-badge cs-badge-ok">
        {rev.matched.length} matched entr{rev.matched.length === 1 ? 'y' : 'ies'}
      </span>
    );
  }
  return <span className={`cs-badge ${rev.status === 'failed' ? 'cs-badge-danger' : 'cs-badge-info'}`}>{rev.status}</span>;
}

function RevalidationCard({ rev, highlighted }: { rev: Revalidation; highlighted: boolean }) {
  const { selectTag, setTab } = useActions();
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlighted]);
  const showTag = (tag: string) => {
    selectTag(tag);
    setTab('tags');
  };
  return (
    <li
      ref={ref}
      className={`cs-card${highlighted ? ' cs-highlight' : ''}`}
      data-testid="cachescope-revalidation"
      data-noop={isNoop(rev)}
      data-revalidation-id={rev.id}
    >
      <div className="cs-card-head">
        <code>{revalidationLabel(rev)}</code>
        <Outcome rev={rev} />
        <InstanceLabel instance={rev.instance} />
        <span className="cs-muted">
          {formatClock(rev.ts)}
          {rev.route ? ` · ${rev.route}` : ''}
          {rev.requestKind ? ` · ${rev.requestKind}` : ''}
        </span>
      </div>
      <dl className="cs-dl">
        <dt>Tags</dt>
        <dd>
          {rev.tags.length === 0
            ? '—'
            : rev.tags.map((t) => (
                <button key={t} type="button" className="cs-link cs-mono" onClick={() => showTag(t)} aria-label={`Show tag ${t}`}>
                  {t}{' '}
                </button>
              ))}
        </dd>
        <dt>Profile</dt>
        <dd>{formatProfile(rev.profile) || '—'}</dd>
        <dt>Mode</dt>
        <dd>
          {rev.mode ?? '—'}
          {rev.expireSeconds !== undefined ? ` (expire ${rev.expireSeconds}s)` : ''}
        </dd>
        <dt>Status</dt>
        <dd>{STATUS_TEXT[rev.status]}</dd>
        <dt>Call site</dt>
        <dd>{rev.callSite || rev.site ? <SourceLink site={rev.site} text={rev.callSite} /> : '—'}</dd>
        <dt>Blast radius</dt>
        <dd>
          {rev.blast.entries} entries, {rev.blast.scopes} user scope{rev.blast.scopes === 1 ? '' : 's'}
          {rev.blast.routes.length ? `, ${rev.blast.routes.join(', ')}` : ''}
        </dd>
      </dl>
      {rev.notes?.map((note) => (
        <p key={note} className="cs-muted" data-testid="cachescope-revalidation-note">
          {note}
        </p>
      ))}
      {rev.matched.length > 0 ? (
        <details open={rev.matched.length <= 5}>
          <summary>Matched entries ({rev.matched.length})</summary>
          <EntryTable
            entries={rev.matched}
            rowKey={(m) => `${m.key}:${m.tag}`}
            last={{
              title: 'Via',
              cell: (m) => (
                <>
                  {m.via} <span className="cs-mono">{m.tag}</span>
                </>
              ),
            }}
          />
        </details>
      ) : isNoop(rev) ? (
        <p className="cs-muted">No live cache entry carried these tags when Next committed the revalidation: it invalidated nothing.</p>
      ) : null}
    </li>
  );
}

export function RevalidationsView() {
  const revalidations = useDerived('revalidations');
  const highlighted = useOverlayState((s) => (s.highlight?.tab === 'revalidations' ? s.highlight.key : null));
  if (revalidations.length === 0) {
    return <p className="cs-empty">No revalidations yet. Run a Server Action that calls revalidateTag, updateTag or revalidatePath.</p>;
  }
  return (
    <div className="cs-scroll">
      <ul className="cs-cards" aria-label="Revalidations">
        {revalidations.map((rev) => (
          <RevalidationCard key={rev.id} rev={rev} highlighted={String(rev.id) === highlighted} />
        ))}
      </ul>
    </div>
  );
}
