export { registerCacheScope, register } from './register.js';
export type { CacheScopeOptions, CacheScopeHandle } from './register.js';
export { withCacheScope } from './config.js';
export * from './protocol/events.js';
