/** `@cachescope/instrument/testing`: assert on what the app's data cache did, in the app's own e2e tests. */
export { connectCacheScope, type CacheScopeConnection } from './connect.js';
export type { CachedCall, CallFilter, Mark, RevalidationExpectation, WaitOptions } from './mark.js';
export { CacheScopeAssertionError } from './assertion-error.js';
