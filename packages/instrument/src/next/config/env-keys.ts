// Environment keys withCacheScope() sets while next.config loads, read later in the same process
// tree by the handler files and register() (they cannot share module state with the config).
export const USER_CACHE_HANDLER_ENV = '__CACHESCOPE_USER_CACHE_HANDLER';
export const DIST_DIR_ENV = '__CACHESCOPE_DIST_DIR';
export const CONFIG_WRAPPED_ENV = '__CACHESCOPE_CONFIG_WRAPPED';
