/**
 * `@cachescope/overlay/token`: the app's token, read on the server (where register() put it) and nowhere else.
 * It is rendered into the app's own page only: another site open in the browser cannot read that page, so it
 * cannot send the token to the stream.
 */
import { createElement, type ComponentType, type ReactNode } from 'react';
import { OVERLAY_TOKEN_KEY } from '@cachescope/instrument/stream-ports';

export function serverOverlayToken(): string | undefined {
  if (typeof window !== 'undefined') return undefined;
  const value = (globalThis as Record<PropertyKey, unknown>)[Symbol.for(OVERLAY_TOKEN_KEY)];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `Overlay` with the token filled in on the server. Rendered from a Server Component the token travels as a
 * prop into the page; rendered from a Client Component there is none in the browser (pass `token` yourself).
 */
export function withServerToken<P extends { token?: string }>(Overlay: ComponentType<P>): (props: P) => ReactNode {
  return function CacheScope(props: P) {
    return createElement(Overlay, { ...props, token: props.token ?? serverOverlayToken() });
  };
}
