// The Tags view's invalidate buttons: offered only when the overlay may invalidate (next dev, with the app's
// token), sending what a Server Action's revalidateTag / updateTag / revalidatePath would commit.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOverlayStore } from '../src/store/store.js';
import { pathOfImplicitTag, type InvalidateTarget } from '../src/stream/invalidate.js';
import { OverlayApp } from '../src/views/OverlayApp.js';
import { OverlayContext, createOverlayContext } from '../src/views/context.js';
import { loadDemoSnapshot } from './support/fixture.js';

afterEach(cleanup);

function renderWith(invalidate?: (t: InvalidateTarget) => Promise<void>) {
  const store = createOverlayStore({ initialIsOpen: true });
  store.getState().actions.applySnapshot(loadDemoSnapshot());
  const context = createOverlayContext(store, { clearServer: async () => {}, streamUrl: 'http://127.0.0.1:7340', invalidate });
  render(
    <OverlayContext.Provider value={context}>
      <OverlayApp theme="dark" />
    </OverlayContext.Provider>,
  );
  fireEvent.click(screen.getByRole('tab', { name: 'Tags' }));
}

function showTag(tag: string) {
  fireEvent.click(within(screen.getByRole('tabpanel')).getByRole('button', { name: `Show tag ${tag}` }));
  return screen.getByTestId('cachescope-tag-detail');
}

describe('invalidate buttons', () => {
  it('are absent without the invalidate control (no token, or next start)', () => {
    renderWith(undefined);
    const detail = showTag('p1:dashboard-data');
    expect(within(detail).queryByRole('button', { name: 'Expire now' })).toBeNull();
    expect(within(detail).queryByTestId('cachescope-invalidate')).toBeNull();
  });

  it('Revalidate and Expire now send the tag with their mode and say it is done', async () => {
    const invalidate = vi.fn(async (_t: InvalidateTarget) => {});
    renderWith(invalidate);
    const detail = showTag('p1:dashboard-data');
    fireEvent.click(within(detail).getByRole('button', { name: 'Revalidate' }));
    await waitFor(() => expect(within(detail).getByRole('status').textContent).toBe('Revalidated (see Revalidations)'));
    fireEvent.click(within(detail).getByRole('button', { name: 'Expire now' }));
    await waitFor(() => expect(within(detail).getByRole('status').textContent).toBe('Expired (see Revalidations)'));
    expect(invalidate.mock.calls.map((c) => c[0])).toEqual([
      { tag: 'p1:dashboard-data', mode: 'revalidate' },
      { tag: 'p1:dashboard-data', mode: 'expire' },
    ]);
  });

  it('a refused invalidation shows why', async () => {
    renderWith(async () => {
      throw new Error('POST /invalidate answered 403: cachescope: refused (wrong token)');
    });
    const detail = showTag('p1:dashboard-data');
    fireEvent.click(within(detail).getByRole('button', { name: 'Expire now' }));
    await waitFor(() => expect(within(detail).getByRole('status').textContent).toContain('Failed: POST /invalidate answered 403'));
  });

  it("an implicit tag offers its path's revalidatePath", () => {
    expect(pathOfImplicitTag('_N_T_/pattern-1')).toEqual({ path: '/pattern-1' });
    expect(pathOfImplicitTag('_N_T_/layout')).toEqual({ path: '/', type: 'layout' });
    expect(pathOfImplicitTag('_N_T_/blog/[slug]/page')).toEqual({ path: '/blog/[slug]', type: 'page' });
    expect(pathOfImplicitTag('_N_T_/')).toEqual({ path: '/' });
    expect(pathOfImplicitTag('dashboard-data')).toBeNull();
  });
});
