/**
 * Where the overlay gets its events: a stream URL given outright (the `streamUrl` prop, else
 * NEXT_PUBLIC_CACHESCOPE_URL), else the stream of its own app, looked for on the stream ports with the app
 * identity withCacheScope() inlined into the client bundle (`process.env.CACHESCOPE_APP`).
 */
import { DEFAULT_STREAM_PORT } from '@cachescope/instrument/stream-ports';
import type { AppStreamHint } from './types.js';

export type StreamTarget = { kind: 'url'; url: string } | { kind: 'app'; hint: AppStreamHint | null; port: number };

function envUrl(): string | undefined {
  try {
    // written out in full so Next inlines it into the client bundle
    const value = process.env.NEXT_PUBLIC_CACHESCOPE_URL;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch {
    return undefined; // no `process` in this runtime
  }
}

/** The app identity withCacheScope() inlined; null when next.config is not wrapped (or cachescope is off there). */
export function inlinedAppHint(): AppStreamHint | null {
  try {
    // written out in full so Next inlines it into the client bundle
    const value = JSON.parse(process.env.CACHESCOPE_APP ?? 'null') as Partial<AppStreamHint> | null;
    if (value && typeof value.id === 'string' && typeof value.name === 'string' && Number.isInteger(value.port))
      return value as AppStreamHint;
  } catch {
    /* no `process` in this runtime, or not JSON */
  }
  return null;
}

export function resolveStreamTarget(prop?: string, hint: AppStreamHint | null = inlinedAppHint()): StreamTarget {
  const url = prop?.trim() || envUrl();
  if (url) return { kind: 'url', url };
  return { kind: 'app', hint, port: hint?.port ?? DEFAULT_STREAM_PORT };
}
