/**
 * `@cachescope/overlay`: the development entry. `<CacheScope />` renders nothing when
 * `process.env.NODE_ENV === 'production'` (import `@cachescope/overlay/production` to show it there on purpose).
 * Not a client module itself: rendered from a Server Component it reads the app's token on the server
 * (token.ts) and hands it to the client overlay.
 */
import type { ReactNode } from 'react';
import { CacheScope as CacheScopeOverlay, type CacheScopeProps } from './CacheScope.js';
import { withServerToken } from './token.js';

function CacheScopeDisabled(_props: CacheScopeProps): null {
  return null;
}

export const CacheScope: (props: CacheScopeProps) => ReactNode =
  process.env.NODE_ENV === 'production' ? CacheScopeDisabled : withServerToken(CacheScopeOverlay);

export type { CacheScopeProps } from './CacheScope.js';
export type { Position, Theme } from './store/types.js';
