'use client';
/** `@cachescope/overlay/production`: renders the overlay whatever NODE_ENV says (for `next start` on purpose). */
export { CacheScope } from './CacheScope.js';
export type { CacheScopeProps } from './CacheScope.js';
export type { Position, Theme } from './store/types.js';
