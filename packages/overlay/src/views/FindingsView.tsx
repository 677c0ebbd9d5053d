/** Findings: what is wrong, why, the fix in the article's terms, evidence links into the other views, copy as Markdown. */
import { SourceLink } from './SourceLink.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import { resolveEvidence } from '../store/findings.js';
import { FINDING_KIND_LABEL, FIX_PATTERN_LABEL, formatClock } from '../store/format.js';
import { findingMarkdown } from '../store/markdown.js';
import type { Finding } from '../store/types.js';
import { SeverityBadge } from './Badge.js';
import { useActions, useDerived, useOverlayState } from './context.js';

function FindingDetails({ finding }: { finding: Finding }) {
  switch (finding.kind) {
    case 'orphaned-tag':
      return (
        <>
          {finding.dynamicReason ? (
            <p data-testid="cachescope-dynamic-reason">
              <strong>Why the call was dynamic:</strong> {finding.dynamicReason}
            </p>
          ) : null}
          {finding.suggestion ? (
            <p>
              <strong>Did you mean</strong> <code>{finding.suggestion}</code>?
            </p>
          ) : null}
        </>
      );
    case 'noop-revalidation':
      return (
        <p className="cs-muted">
          {finding.noops} no-op, {finding.effective} effective revalidation{finding.effective === 1 ? '' : 's'} with these tags.
        </p>
      );
    case 'broad-revalidation':
      return (
        <p className="cs-muted">
          Blast radius: {finding.blast.entries} entries across {finding.blast.scopes} user scopes on{' '}
          {finding.blast.routes.join(', ') || '—'}.
        </p>
      );
    case 'stale-after-revalidate':
      return finding.keys.length ? <p className="cs-muted">Served stale: {finding.keys.join(', ')}</p> : null;
    default:
      return null;
  }
}

function FindingCard({ finding, highlighted }: { finding: Finding; highlighted: boolean }) {
  const { highlight } = useActions();
  const eventsById = useDerived('eventsById');
  const revalidations = useOverlayState((s) => s.analysis.revalidations);
  const evidence = useMemo(() => resolveEvidence(finding.evidence, eventsById, revalidations), [finding, eventsById, revalidations]);
  const [copied, setCopied] = useState<string>('');
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlighted]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(findingMarkdown(finding, evidence));
      setCopied('Copied');
    } catch {
      setCopied('Copy failed: the clipboard is not available here');
    }
  };

  return (
    <li
      ref={ref}
      className={`cs-card${highlighted ? ' cs-highlight' : ''}`}
      data-testid="cachescope-finding"
      data-kind={finding.kind}
      data-finding-id={finding.id}
    >
      <div className="cs-card-head">
        <SeverityBadge severity={finding.severity} />
        <h3>{FINDING_KIND_LABEL[finding.kind]}</h3>
        {finding.tags.map((tag) => (
          <button key={tag} type="button" className="cs-link cs-mono" onClick={() => highlight('tags', tag)} aria-label={`Show tag ${tag}`}>
            {tag}
          </button>
        ))}
        <span className="cs-muted">
          seen {finding.count}× · last {formatClock(finding.lastTs)}
        </span>
      </div>
      <p>{finding.message}</p>
      <FindingDetails finding={finding} />
      <div className="cs-fix">
        <strong>Fix — {FIX_PATTERN_LABEL[finding.fix.pattern]}</strong>
        <p>{finding.fix.text}</p>
        {finding.fix.alternatives?.length ? (
          <p className="cs-muted">Also fits: {finding.fix.alternatives.map((p) => FIX_PATTERN_LABEL[p]).join('; ')}.</p>
        ) : null}
      </div>
      {evidence.length > 0 ? (
        <>
          <strong>Evidence</strong>
          <ul className="cs-evidence">
            {evidence.map((e) => (
              <li key={e.eventId}>
                <button type="button" className="cs-link" disabled={!e.held} onClick={() => highlight(e.tab, e.key)}>
                  {e.label}
                </button>
                {e.callSite || e.site ? (
                  <>
                    {' at '}
                    <SourceLink site={e.site} text={e.callSite} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="cs-card-head">
        <button type="button" className="cs-btn" onClick={() => void copy()}>
          Copy as Markdown
        </button>
        <span role="status" className="cs-muted">
          {copied}
        </span>
      </div>
    </li>
  );
}

export function FindingsView() {
  const findings = useDerived('findings');
  const highlighted = useOverlayState((s) => (s.highlight?.tab === 'findings' ? s.highlight.key : null));
  if (findings.length === 0) {
    return <p className="cs-empty">No findings. Orphaned tags, no-op revalidations and other problems show up here as they happen.</p>;
  }
  return (
    <div className="cs-scroll">
      <ul className="cs-cards" aria-label="Findings">
        {findings.map((f) => (
          <FindingCard key={f.id} finding={f} highlighted={f.id === highlighted} />
        ))}
      </ul>
    </div>
  );
}
