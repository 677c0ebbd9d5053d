/** Notices above the views: cachescope's own problems, viewing an imported file, paused with batches waiting, an error. */
import { useActions, useOverlayState } from './context.js';
import { ClusterBanner } from './ClusterBanner.js';
import { InternalErrorsBanner } from './InternalErrorsBanner.js';

export function Banners({ error, onDismiss }: { error: string | null; onDismiss(): void }) {
  const source = useOverlayState((s) => s.source);
  const paused = useOverlayState((s) => s.paused);
  const batches = useOverlayState((s) => s.pausedBatches);
  const events = useOverlayState((s) => s.pausedEvents);
  const { goLive, setPaused } = useActions();
  return (
    <>
      <InternalErrorsBanner />
      <ClusterBanner />
      {source.kind === 'file' ? (
        <div className="cs-banner cs-banner-file" role="status" data-testid="cachescope-offline-banner">
          <span>
            Viewing the imported file <strong>{source.name}</strong> — live updates are stopped.
          </span>
          <button type="button" className="cs-btn" onClick={goLive}>
            Back to live
          </button>
        </div>
      ) : null}
      {paused ? (
        <div className="cs-banner cs-banner-paused" role="status" data-testid="cachescope-paused-banner">
          <span>
            Paused: {batches} batch{batches === 1 ? '' : 'es'} ({events} event{events === 1 ? '' : 's'}) waiting.
          </span>
          <button type="button" className="cs-btn" onClick={() => setPaused(false)}>
            Resume
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="cs-banner cs-banner-error" role="alert">
          <span>{error}</span>
          <button type="button" className="cs-btn" onClick={onDismiss} aria-label="Dismiss error">
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  );
}
