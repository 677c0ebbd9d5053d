'use server';
import { randomBytes } from 'node:crypto';
import { cookies } from 'next/headers';
import { SESSION_COOKIE, USERS, type User } from '@/lib/session';

export async function signIn(user: User) {
  if (!(USERS as readonly string[]).includes(user)) throw new Error(`unknown user ${String(user)}`);
  (await cookies()).set(SESSION_COOKIE, `${user}.${randomBytes(12).toString('hex')}`, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
  });
}

export async function signOut() {
  (await cookies()).delete(SESSION_COOKIE);
}
