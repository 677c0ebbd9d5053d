/**
 * The user scope of a cached call ('use cache', unstable_cache): whose data an entry holds. Argument
 * values are not users (`getData('a')` and `getData('b')` are one visitor's two entries, or nobody's):
 * a call is per-user only when its key or its tags carry one of the requesting user's credentials, in
 * clear (the session passed as a key part or argument) or hashed (the article's
 * `tag:${sessionHash(session)}`). Its scope is then the requester's, the same `scopeHash` a fetch that
 * forwards those credentials gets.
 */
import { scopeHash, shortHash, type ScopeInputs } from './hash.js';

/** Shorter cookie values (`1`, `dark`, `en-GB`) turn up in keys by chance; a session or token does not. */
const MIN_CREDENTIAL_LENGTH = 8;

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The texts that identify the requester: each credential as sent, its parts, and their short hashes. */
function credentialMarks(requester: ScopeInputs): string[] {
  const texts = new Set<string>();
  if (requester.cookie) {
    texts.add(requester.cookie);
    for (const pair of requester.cookie.split(';')) {
      const eq = pair.indexOf('=');
      texts.add(pair.trim());
      if (eq !== -1) {
        const value = pair.slice(eq + 1).trim();
        texts.add(value);
        texts.add(decoded(value));
      }
    }
  }
  if (requester.authorization) {
    texts.add(requester.authorization);
    texts.add(requester.authorization.replace(/^\S+\s+/, ''));
  }
  const kept = [...texts].filter((t) => t.length >= MIN_CREDENTIAL_LENGTH);
  return [...kept, ...kept.map(shortHash)];
}

const marksByRequester = new WeakMap<ScopeInputs, string[]>();

/**
 * The requester's scope when one of `carriers` (the call's key parts or arguments, its tags) carries
 * one of the requester's credentials; `undefined` otherwise, and for a request without credentials.
 */
export function cachedCallScope(carriers: readonly string[], requester: ScopeInputs | undefined): string | undefined {
  const scope = requester && scopeHash(requester);
  if (!scope) return undefined;
  let marks = marksByRequester.get(requester);
  if (!marks) {
    marks = credentialMarks(requester);
    marksByRequester.set(requester, marks);
  }
  return carriers.some((text) => marks.some((mark) => text.includes(mark))) ? scope : undefined;
}
