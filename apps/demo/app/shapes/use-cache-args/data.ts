// One 'use cache' function called with four different arguments, all tagged alike, in a page that
// needs no cookie: four entries, nobody's in particular. updateTag(ARGS_TAG) invalidates all four, and
// that is no sign of users sharing a cache: argument values are not users.
import { cacheLife, cacheTag } from 'next/cache';
import { backendUrl, type DashboardData } from '@/lib/backend';

export const ARGS = ['a', 'b', 'c', 'd'] as const;
export const ARGS_TAG = 'use-cache-args';

export async function getData(arg: string): Promise<DashboardData> {
  'use cache';
  cacheLife('minutes');
  cacheTag(ARGS_TAG);
  const res = await fetch(`${backendUrl()}/dashboard?pattern=use-cache-args-${arg}`, { method: 'POST' });
  if (!res.ok) throw new Error(`API ${res.status}`);
  return res.json();
}
