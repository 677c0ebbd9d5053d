/** One fixed-height row of the Requests view: a request header, a call, or the request's dynamic API reads. */
import { InstanceLabel } from './InstanceLabel.js';
import { memo } from 'react';
import { dynamicSummary } from '../store/requests.js';
import {
  CALL_KIND_LABEL,
  REQUEST_KIND_LABEL,
  callDuration,
  callKind,
  callLabel,
  callTags,
  decisionReason,
  formatClock,
  formatDuration,
  isNoop,
} from '../store/format.js';
import { NO_REQUEST } from '../store/constants.js';
import { revalidationOfEvent } from '../store/revalidations.js';
import type { CallEvent, RequestGroup, TimelineRow } from '../store/types.js';
import { DecisionBadge, NoopBadge } from './Badge.js';
import { useActions, useOverlayState } from './context.js';

export function TagChips({ call, limit = 3 }: { call: CallEvent; limit?: number }) {
  const { attached, dropped, dropReason } = callTags(call);
  const why = `dropped: ${dropReason ?? 'the call reached no cache entry'}`;
  const chips = [
    ...attached.map((tag) => (
      <span key={`a:${tag}`} className="cs-tag" title={`attached to a cache entry: ${tag}`}>
        {tag}
      </span>
    )),
    ...dropped.map((tag) => (
      <s key={`d:${tag}`} className="cs-tag cs-tag-dropped" title={why} data-dropped="true">
        {tag}
        <span className="cs-sr-only"> ({why})</span>
      </s>
    )),
  ];
  if (chips.length === 0) return null;
  return (
    <span className="cs-tags">
      {chips.slice(0, limit)}
      {chips.length > limit ? <span className="cs-muted">+{chips.length - limit}</span> : null}
    </span>
  );
}

function RequestHeader({ group, shownCalls }: { group: RequestGroup; shownCalls: number }) {
  const outside = group.requestId === NO_REQUEST;
  return (
    <div className="cs-row cs-row-request" data-request-id={group.requestId}>
      <span className="cs-badge cs-badge-info">{outside ? 'outside requests' : REQUEST_KIND_LABEL[group.kind]}</span>
      <span className="cs-label">{group.route ?? (outside ? 'disk seed, internal errors' : '(unknown route)')}</span>
      <InstanceLabel instance={group.instance} />
      <span className="cs-muted">
        {outside ? '' : `request ${group.requestId} · `}
        {formatClock(group.firstTs)} · {shownCalls} call{shownCalls === 1 ? '' : 's'}
        {group.dynamicReads.length > 0 ? ' · dynamic' : ''}
      </span>
    </div>
  );
}

function RevalidationOutcome({ id }: { id: number }) {
  const rev = useOverlayState((s) => revalidationOfEvent(s.analysis.revalidations, id));
  if (!rev) return null;
  if (isNoop(rev)) return <NoopBadge />;
  if (rev.status !== 'committed') return <span className="cs-badge cs-badge-info">{rev.status}</span>;
  return <span className="cs-badge cs-badge-ok">{rev.matched.length} matched</span>;
}

function CallRow({ call, selected, highlighted }: { call: CallEvent; selected: boolean; highlighted: boolean }) {
  const { selectCall } = useActions();
  const reason = decisionReason(call);
  return (
    <button
      type="button"
      className={`cs-row cs-row-call${highlighted ? ' cs-highlight' : ''}`}
      aria-current={selected}
      onClick={() => selectCall(selected ? null : call.id)}
      data-event-id={call.id}
      data-testid="cachescope-call-row"
    >
      <span className="cs-kind">{CALL_KIND_LABEL[callKind(call)]}</span>
      {call.type === 'revalidate-call' ? <RevalidationOutcome id={call.id} /> : <DecisionBadge decision={call.decision} reason={reason} />}
      <span className="cs-label" title={callLabel(call)}>
        {callLabel(call)}
      </span>
      <span className="cs-reason" title={reason}>
        {reason}
      </span>
      <TagChips call={call} />
      <span className="cs-duration">{formatDuration(callDuration(call))}</span>
    </button>
  );
}

function DynamicRow({ group }: { group: RequestGroup }) {
  const summary = dynamicSummary(group.dynamicReads);
  const sites = [...new Set(group.dynamicReads.map((r) => `${r.api}() at ${r.callSite ?? 'unknown call site'}`))];
  return (
    <div className="cs-row cs-row-dynamic" title={sites.join('\n')} data-testid="cachescope-dynamic-row">
      <span className="cs-kind">dynamic API</span>
      <span>
        {summary.map(([api, n]) => `${api}()${n > 1 ? ` ×${n}` : ''}`).join(', ')} — read during this request, which makes it dynamic
      </span>
    </div>
  );
}

interface RowProps {
  row: TimelineRow;
  selected: boolean;
  highlighted: boolean;
}

function TimelineRowView({ row, selected, highlighted }: RowProps) {
  if (row.type === 'request') return <RequestHeader group={row.group} shownCalls={row.shownCalls} />;
  if (row.type === 'dynamic') return <DynamicRow group={row.group} />;
  return <CallRow call={row.call} selected={selected} highlighted={highlighted} />;
}

function sameRow(a: RowProps, b: RowProps): boolean {
  if (a.selected !== b.selected || a.highlighted !== b.highlighted || a.row.key !== b.row.key) return false;
  const x = a.row;
  const y = b.row;
  if (x.type === 'call' && y.type === 'call') return x.call === y.call;
  if (x.type === 'request' && y.type === 'request') return x.group === y.group && x.shownCalls === y.shownCalls;
  return x.group === y.group;
}

export const MemoTimelineRow = memo(TimelineRowView, sameRow);
