/** `@cachescope/overlay/production`: renders the overlay whatever NODE_ENV says (for `next start` on purpose). */
import { CacheScope as CacheScopeOverlay } from './CacheScope.js';
import { withServerToken } from './token.js';

export const CacheScope = withServerToken(CacheScopeOverlay);
export type { CacheScopeProps } from './CacheScope.js';
export type { Position, Theme } from './store/types.js';
