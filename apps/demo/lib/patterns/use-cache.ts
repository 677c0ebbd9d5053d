// Pattern 2 of the article: 'use cache' + cacheTag + cacheLife; the cookie is read outside and
// passed in, so the argument becomes part of the cache key.
import { cacheLife, cacheTag } from 'next/cache';
import { dashboardUrl, type DashboardData } from '../backend';
import { readSession, sessionHash } from '../session';

async function fetchAPIForUser(session: string): Promise<DashboardData> {
  'use cache';
  cacheLife('minutes');
  cacheTag('p2:dashboard-data', `p2:dashboard-data:${sessionHash(session)}`);
  const res = await fetch(dashboardUrl('p2'), {
    method: 'POST',
    headers: { Cookie: `session=${session}` },
  });
  if (!res.ok) throw new Error(`API ${res.status}`);
  return res.json();
}

export async function fetchAPI(): Promise<DashboardData> {
  return fetchAPIForUser(await readSession());
}
