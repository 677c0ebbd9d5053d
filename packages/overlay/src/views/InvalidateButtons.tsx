/**
 * next dev only: invalidate the selected tag as a Server Action would, to test a fix without writing one.
 * "Revalidate" = revalidateTag(tag, 'max') (stale-while-revalidate); "Expire now" = expire at once (updateTag);
 * an implicit `_N_T_` tag offers its path's revalidatePath. The result shows up in Revalidations.
 */
import { useState } from 'react';
import { pathOfImplicitTag, type InvalidateTarget } from '../stream/invalidate.js';
import { useOverlay } from './context.js';

export function InvalidateButtons({ tag }: { tag: string }) {
  const { controls } = useOverlay();
  const [state, setState] = useState<{ busy: boolean; note: string | null }>({ busy: false, note: null });
  const invalidate = controls.invalidate;
  if (!invalidate) return null;
  const path = pathOfImplicitTag(tag);
  const run = async (target: InvalidateTarget, done: string) => {
    setState({ busy: true, note: null });
    try {
      await invalidate(target);
      setState({ busy: false, note: `${done} (see Revalidations)` });
    } catch (error) {
      setState({ busy: false, note: `Failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  return (
    <div className="cs-actions" data-testid="cachescope-invalidate">
      {path ? (
        <button
          type="button"
          className="cs-btn"
          disabled={state.busy}
          onClick={() =>
            void run({ ...path, mode: 'expire' }, `revalidatePath("${path.path}"${path.type ? `, "${path.type}"` : ''}) committed`)
          }
        >
          Revalidate path
        </button>
      ) : (
        <>
          <button
            type="button"
            className="cs-btn"
            disabled={state.busy}
            title="revalidateTag(tag, 'max'): the next read is served stale and refreshed in the background"
            onClick={() => void run({ tag, mode: 'revalidate' }, 'Revalidated')}
          >
            Revalidate
          </button>
          <button
            type="button"
            className="cs-btn"
            disabled={state.busy}
            title="Expire now, like updateTag: the next read misses and refetches"
            onClick={() => void run({ tag, mode: 'expire' }, 'Expired')}
          >
            Expire now
          </button>
        </>
      )}
      {state.note ? (
        <span className="cs-muted" role="status">
          {state.note}
        </span>
      ) : null}
    </div>
  );
}
