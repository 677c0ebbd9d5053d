/** Everything about one call: decision and why, Next's raw status, tags attached / dropped and why, the request. */
import type { ReactNode } from 'react';
import { NO_REQUEST } from '../store/constants.js';
import { SourceLink } from './SourceLink.js';
import {
  CALL_KIND_LABEL,
  REQUEST_KIND_LABEL,
  callDuration,
  callKind,
  callLabel,
  decisionReason,
  formatClock,
  formatDuration,
  formatProfile,
} from '../store/format.js';
import { revalidationOfEvent } from '../store/revalidations.js';
import { isCallEvent } from '../store/requests.js';
import type { CallEvent, CallSiteFields } from '../store/types.js';
import { DecisionBadge } from './Badge.js';
import { useActions, useDerived, useOverlay, useOverlayState } from './context.js';

function Row({ label, children }: { label: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function TagList({ tags, dropped }: { tags: readonly string[]; dropped?: boolean }) {
  if (tags.length === 0) return null;
  return (
    <>
      {tags.map((t) =>
        dropped ? (
          <s key={t} className="cs-tag cs-tag-dropped">
            {t}
          </s>
        ) : (
          <span key={t} className="cs-tag">
            {t}
          </span>
        ),
      )}
    </>
  );
}

function CallSiteRow({ call, label = 'Call site' }: { call: CallSiteFields; label?: string }) {
  return <Row label={label}>{call.callSite || call.site ? <SourceLink site={call.site} text={call.callSite} /> : undefined}</Row>;
}

function CallFacts({ call }: { call: CallEvent }) {
  const { highlight } = useActions();
  const rev = useOverlayState((s) =>
    call.type === 'revalidate-call' ? revalidationOfEvent(s.analysis.revalidations, call.id) : undefined,
  );
  switch (call.type) {
    case 'fetch':
      return (
        <>
          <Row label="URL">
            <code>
              {call.method} {call.url}
            </code>
          </Row>
          <CallSiteRow call={call} />
          <Row label="Declared">
            <code>{JSON.stringify(call.declared)}</code>
          </Row>
          <Row label="Next reported">
            {call.nextStatus ? `${call.nextStatus}${call.nextReason ? ` (${call.nextReason})` : ''}` : undefined}
          </Row>
          <Row label="Dev artefact">{call.devArtefact}</Row>
          <Row label="Attached tags">{call.tagsAttached.length ? <TagList tags={call.tagsAttached} /> : undefined}</Row>
          <Row label="Attached to">{call.tagsAttachedTo}</Row>
          <Row label="Dropped tags">{call.tagsDropped.length ? <TagList tags={call.tagsDropped} dropped /> : undefined}</Row>
          <Row label="Why dropped">{call.tagsDropped.length ? call.dropReason : undefined}</Row>
          <Row label="Forwarded">{call.forwarded?.length ? call.forwarded.join(', ') : undefined}</Row>
          <Row label="HTTP status">{call.status}</Row>
          <Row label="User scope">{call.scope}</Row>
          <Row label="Cache key">{call.cacheKey ? <code>{call.cacheKey}</code> : undefined}</Row>
        </>
      );
    case 'unstable-cache':
      return (
        <>
          <Row label="Function">{call.fnName}</Row>
          <CallSiteRow call={call} />
          <Row label="Key hash">
            <code>{call.keyHash}</code>
          </Row>
          <Row label="Tags">{call.tags.length ? <TagList tags={call.tags} /> : undefined}</Row>
          <Row label="revalidate">{call.revalidate === undefined ? undefined : String(call.revalidate)}</Row>
          <Row label="User scope">{call.scope}</Row>
          <Row label="Cache key">{call.cacheKey ? <code>{call.cacheKey}</code> : undefined}</Row>
        </>
      );
    case 'use-cache':
      return (
        <>
          <Row label="Function id">
            <code>{call.functionId}</code>
          </Row>
          <Row label="Handler">{call.handlerKind}</Row>
          <CallSiteRow call={call} label="Awaited at" />
          <Row label="Tags">{call.tags.length ? <TagList tags={call.tags} /> : undefined}</Row>
          <Row label="cacheLife">{call.cacheLife ? formatProfile(call.cacheLife) : undefined}</Row>
          <Row label="Error">{call.error}</Row>
          <Row label="User scope">{call.scope}</Row>
          <Row label="Cache key">{call.cacheKey ? <code>{call.cacheKey}</code> : undefined}</Row>
        </>
      );
    case 'revalidate-call':
      return (
        <>
          <Row label="Tags">{call.tags.length ? <TagList tags={call.tags} /> : undefined}</Row>
          <Row label="Profile">{formatProfile(call.profile)}</Row>
          <CallSiteRow call={call} />
          <Row label="Error">{call.error}</Row>
          <Row label="Outcome">
            {rev ? (
              <button type="button" className="cs-link" onClick={() => highlight('revalidations', String(rev.id))}>
                {rev.status}, {rev.matched.length} matched entries — show in Revalidations
              </button>
            ) : undefined}
          </Row>
        </>
      );
  }
}

export function CallDetail({ id }: { id: number }) {
  const { derived } = useOverlay();
  const call = useOverlayState((s) => {
    const event = derived.eventsById(s).get(id);
    return event && isCallEvent(event) ? event : undefined;
  });
  const group = useDerived('groups').find((g) => g.requestId === (call?.requestId ?? NO_REQUEST));
  const { selectCall } = useActions();
  if (!call) return null;
  const reason = decisionReason(call);
  return (
    <aside className="cs-detail" aria-label="Call details" data-testid="cachescope-call-detail">
      <div className="cs-card-head">
        <h3>
          {CALL_KIND_LABEL[callKind(call)]} · {callLabel(call)}
        </h3>
        <button type="button" className="cs-btn" aria-label="Close call details" onClick={() => selectCall(null)}>
          ×
        </button>
      </div>
      {call.type !== 'revalidate-call' ? (
        <p>
          <DecisionBadge decision={call.decision} /> {reason}
        </p>
      ) : (
        <p>{reason}</p>
      )}
      <dl className="cs-dl">
        <CallFacts call={call} />
        <Row label="Duration">{formatDuration(callDuration(call))}</Row>
        <Row label="At">{formatClock(call.ts)}</Row>
        <Row label="Request">
          {call.requestId ? `${call.requestId} · ${REQUEST_KIND_LABEL[call.requestKind ?? 'unknown']} · ${call.route ?? ''}` : undefined}
        </Row>
        <Row label="Work unit / phase">{call.workUnit ? `${call.workUnit}${call.phase ? ` / ${call.phase}` : ''}` : undefined}</Row>
        <Row label="Dynamic APIs in request">
          {group && group.dynamicReads.length > 0 ? (
            <ul className="cs-evidence">
              {[...new Set(group.dynamicReads.map((r) => `${r.api}() at ${r.callSite ?? 'unknown call site'}`))].map((s) => (
                <li key={s}>
                  <code>{s}</code>
                </li>
              ))}
            </ul>
          ) : undefined}
        </Row>
      </dl>
    </aside>
  );
}
