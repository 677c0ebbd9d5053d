import { createHash } from 'node:crypto';
import { cookies } from 'next/headers';

export const USERS = ['alice', 'bob', 'carol'] as const;
export type User = (typeof USERS)[number];
export const SESSION_COOKIE = 'session';

/** The article's per-user tag suffix: a short sha256 of the session, never the session itself. */
export const sessionHash = (session: string) => createHash('sha256').update(session).digest('hex').slice(0, 16);

/** The signed-in session value (`<user>.<token>`), or '' when signed out. */
export async function readSession(): Promise<string> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? '';
}

export function userOf(session: string): User | undefined {
  const user = session.split('.')[0];
  return (USERS as readonly string[]).includes(user) ? (user as User) : undefined;
}
