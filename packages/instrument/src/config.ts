export { withCacheScope, isCacheScopeEnabled } from './hooks/config/with-cache-scope.js';
export type { CacheScopeConfigOptions } from './hooks/config/with-cache-scope.js';
