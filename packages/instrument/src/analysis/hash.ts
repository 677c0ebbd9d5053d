/**
 * Hashing: the one place the analysis touches `node:crypto`.
 *
 * `shortHash` is sha256, hex, first 16 characters: the article's `sessionHash`. Using the same function
 * means a user's per-user tag `dashboard-data:<sessionHash(cookie)>` and cachescope's `scope` for that
 * cookie are the same string, so the overlay can line them up. It is unsalted on purpose (stable across
 * processes and restarts); it hides values from a casual reader, not from a dictionary attack on a
 * low-entropy secret.
 */
import { createHash } from 'node:crypto';
import { memoize } from './memo.js';

export const shortHash: (value: string) => string = memoize((value) => createHash('sha256').update(value).digest('hex').slice(0, 16));

/** The request-scoped inputs that make a cached response per-user. */
export interface ScopeInputs {
  cookie?: string;
  authorization?: string;
}

/**
 * Short hash naming a user scope. With only a cookie it equals `shortHash(cookie)` (the article's
 * `sessionHash(cookieStore.toString())`); with only an authorization header, `shortHash(authorization)`;
 * with both, the hash of both. `undefined` when there is nothing request-scoped.
 */
export function scopeHash(inputs: ScopeInputs): string | undefined {
  const { cookie, authorization } = inputs;
  if (cookie && authorization) return shortHash(`${cookie}\n${authorization}`);
  if (cookie) return shortHash(cookie);
  if (authorization) return shortHash(authorization);
  return undefined;
}
