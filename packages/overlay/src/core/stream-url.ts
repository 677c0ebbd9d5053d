/** Where the stream server is: the prop, else NEXT_PUBLIC_CACHESCOPE_URL (inlined by Next), else the default. */
import { DEFAULT_STREAM_URL } from './constants.js';

function envUrl(): string | undefined {
  try {
    // written out in full so Next inlines it into the client bundle
    const value = process.env.NEXT_PUBLIC_CACHESCOPE_URL;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch {
    return undefined; // no `process` in this runtime
  }
}

export function resolveStreamUrl(prop?: string): string {
  return (prop && prop.trim()) || envUrl() || DEFAULT_STREAM_URL;
}
