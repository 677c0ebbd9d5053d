/**
 * Which app this process belongs to: what Next builds (project directory + distDir) in one mode. The config
 * wrapper computes it while next.config loads and hands it on: to register() through the environment, to the
 * overlay by inlining it into the client bundle (next.config `env`).
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { AppIdentity } from '../../protocol/events.js';
import { shortHash } from '../../analysis/hash.js';
import { APP_ENV } from './env-keys.js';

function packageName(dir: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
  } catch {
    return undefined;
  }
}

export function appIdentity(input: { dir: string; distDir: string; mode: AppIdentity['mode'] }): AppIdentity {
  const dir = resolve(input.dir);
  const distDir = resolve(dir, input.distDir);
  return {
    id: shortHash(`cachescope-app\0${dir}\0${distDir}\0${input.mode}`),
    name: packageName(dir) ?? basename(dir),
    dir,
    mode: input.mode,
  };
}

function isIdentity(value: unknown): value is AppIdentity {
  const v = value as Partial<AppIdentity> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.dir === 'string' &&
    (v.mode === 'dev' || v.mode === 'prod')
  );
}

/** The identity withCacheScope() computed in this process tree, else one from the working directory. */
export function currentAppIdentity(fallback: { distDir: string; mode: AppIdentity['mode'] }): AppIdentity {
  try {
    const handed = JSON.parse(process.env[APP_ENV] ?? 'null') as unknown;
    if (isIdentity(handed) && handed.mode === fallback.mode) return handed;
  } catch {
    /* not set by the config wrapper: compute it */
  }
  return appIdentity({ dir: process.cwd(), distDir: fallback.distDir, mode: fallback.mode });
}
