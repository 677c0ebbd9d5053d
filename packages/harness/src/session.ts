// Session cookies the way the demo's sign-in action shapes them: `session=<user>.<hex>`.
import { randomBytes } from 'node:crypto';

export type DemoUser = 'alice' | 'bob' | 'carol';

const tokens = new Map<string, string>();

/**
 * Cookie header value for `user`. Stable per harness instance (module) per user, so the
 * same user keeps hitting the same per-session cache entry within a run.
 */
export function asUser(user: DemoUser | string): string {
  let token = tokens.get(user);
  if (!token) {
    token = randomBytes(8).toString('hex');
    tokens.set(user, token);
  }
  return `session=${user}.${token}`;
}

/** A brand-new session for `user` (a fresh cache key), not remembered. */
export function freshSession(user: DemoUser | string): string {
  return `session=${user}.${randomBytes(8).toString('hex')}`;
}
