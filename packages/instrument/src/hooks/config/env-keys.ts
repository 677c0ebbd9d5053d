// Environment keys withCacheScope() sets while next.config loads, read later in the same process
// tree by the handler files and register() (they cannot share module state with the config).
export const USER_CACHE_HANDLER_ENV = '__CACHESCOPE_USER_CACHE_HANDLER';
export const DIST_DIR_ENV = '__CACHESCOPE_DIST_DIR';
export const CONFIG_WRAPPED_ENV = '__CACHESCOPE_CONFIG_WRAPPED';
/** The app's identity (JSON of `AppIdentity`) for register(). */
export const APP_ENV = '__CACHESCOPE_APP';
/**
 * The key withCacheScope() adds to next.config `env`, so Next inlines `process.env.CACHESCOPE_APP` into the
 * client bundle: JSON of `OverlayAppHint` (the overlay finds its own app's stream with it).
 */
export const CLIENT_APP_ENV = 'CACHESCOPE_APP';
