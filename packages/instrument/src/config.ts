export { withCacheScope, isCacheScopeEnabled } from './next/config/with-cache-scope.js';
export type { CacheScopeConfigOptions } from './next/config/with-cache-scope.js';
