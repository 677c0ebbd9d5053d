// withCacheScope(nextConfig): adds cachescope's recording cache handler (delegating to the user's own
// handler or Next's) and the next/cache + next/headers aliases, for Turbopack and webpack. Everything
// else is left as the user wrote it. In `next build` / `next start` it changes nothing unless
// CACHESCOPE_ENABLED=1, so no dev-only code reaches a production build by accident.
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppStreamHint } from '../../protocol/events.js';
import { DEFAULT_STREAM_PORT, resolvePort } from '../../protocol/stream-ports.js';
import { appIdentity } from './app-identity.js';
import { isEnabled } from './enabled.js';
import { APP_ENV, CLIENT_APP_ENV, CONFIG_WRAPPED_ENV, DIST_DIR_ENV, USER_CACHE_HANDLER_ENV } from './env-keys.js';

export type CacheScopeConfigOptions = {
  /** Force on or off. Default: on in `next dev`, and elsewhere only with CACHESCOPE_ENABLED=1. */
  enabled?: boolean;
};

type NextConfigObject = Record<string, any>;
type NextConfigFunction = (phase: string, ctx: { defaultConfig: NextConfigObject }) => NextConfigObject | Promise<NextConfigObject>;
type NextConfigInput = NextConfigObject | NextConfigFunction;

const PHASE_DEVELOPMENT_SERVER = 'phase-development-server';
const ALIASED_MODULES = { 'next/cache': 'next-cache', 'next/headers': 'next-headers', 'next/server': 'next-server' } as const;

const fromHere = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const packageRequire = createRequire(import.meta.url);

export function isCacheScopeEnabled(phase: string, options: CacheScopeConfigOptions = {}): boolean {
  return isEnabled(phase === PHASE_DEVELOPMENT_SERVER, options.enabled);
}

function shimSpecifier(name: string): string {
  return `@cachescope/instrument/shims/${name}`;
}

function shimPath(name: string): string {
  try {
    return packageRequire.resolve(shimSpecifier(name));
  } catch {
    return fromHere(`../shims/${name}.js`);
  }
}

function withAliases(config: NextConfigObject): NextConfigObject {
  const turbopackAliases = Object.fromEntries(Object.entries(ALIASED_MODULES).map(([from, name]) => [from, shimSpecifier(name)]));
  const userWebpack = config.webpack;
  return {
    ...config,
    turbopack: {
      ...config.turbopack,
      resolveAlias: { ...config.turbopack?.resolveAlias, ...turbopackAliases },
    },
    webpack(webpackConfig: any, context: any) {
      const result = typeof userWebpack === 'function' ? userWebpack(webpackConfig, context) : webpackConfig;
      result.resolve ??= {};
      result.resolve.alias ??= {};
      for (const [from, name] of Object.entries(ALIASED_MODULES)) result.resolve.alias[`${from}$`] = shimPath(name);
      return result;
    },
  };
}

function withRecordingHandler(config: NextConfigObject): NextConfigObject {
  const userHandler = config.cacheHandler;
  if (typeof userHandler === 'string' && userHandler) {
    process.env[USER_CACHE_HANDLER_ENV] = isAbsolute(userHandler) ? userHandler : resolve(userHandler);
  } else {
    delete process.env[USER_CACHE_HANDLER_ENV];
  }
  return { ...config, cacheHandler: fromHere('../handlers/incremental-handler.js') };
}

/** register() learns the app through the environment; the overlay through `process.env.CACHESCOPE_APP`, inlined by Next. */
function withAppIdentity(config: NextConfigObject, phase: string): NextConfigObject {
  const distDir = resolve(config.distDir ?? '.next');
  const app = appIdentity({ dir: process.cwd(), distDir, mode: phase === PHASE_DEVELOPMENT_SERVER ? 'dev' : 'prod' });
  process.env[DIST_DIR_ENV] = distDir;
  process.env[APP_ENV] = JSON.stringify(app);
  const hint: AppStreamHint = { id: app.id, name: app.name, port: resolvePort(undefined) || DEFAULT_STREAM_PORT }; // 0 (a free port) or invalid: look from the default
  return { ...config, env: { ...config.env, [CLIENT_APP_ENV]: JSON.stringify(hint) } };
}

export function wrapNextConfig(config: NextConfigObject, phase: string = PHASE_DEVELOPMENT_SERVER): NextConfigObject {
  process.env[CONFIG_WRAPPED_ENV] = '1';
  return withAliases(withRecordingHandler(withAppIdentity(config, phase)));
}

export function withCacheScope(nextConfig: NextConfigInput = {}, options: CacheScopeConfigOptions = {}): NextConfigFunction {
  return async (phase, ctx) => {
    const config = typeof nextConfig === 'function' ? await nextConfig(phase, ctx) : nextConfig;
    return isCacheScopeEnabled(phase, options) ? wrapNextConfig(config, phase) : config;
  };
}
