// Pattern 1 of the article: unstable_cache keyed by the session (read outside the cached
// function), tagged globally and per user. The sledgehammer page reuses it under its own prefix.
import { unstable_cache } from 'next/cache';
import { dashboardUrl, type DashboardData, type PatternLabel } from '../backend';
import { readSession, sessionHash } from '../session';

export const globalTag = (prefix: string) => `${prefix}:dashboard-data`;
export const userTag = (prefix: string, session: string) => `${prefix}:dashboard-data:${sessionHash(session)}`;

export function unstableCachedDashboard(prefix: PatternLabel) {
  const fetchAPIForUser = (session: string) =>
    unstable_cache(
      async (): Promise<DashboardData> => {
        const res = await fetch(dashboardUrl(prefix), {
          method: 'POST',
          headers: { Cookie: `session=${session}` },
        });
        if (!res.ok) throw new Error(`API ${res.status}`);
        return res.json();
      },
      [`${prefix}:fetchAPI`, session], // the session is a key part: one entry per user
      { tags: [globalTag(prefix), userTag(prefix, session)], revalidate: 60 },
    )();

  return async function fetchAPI(): Promise<DashboardData> {
    return fetchAPIForUser(await readSession());
  };
}

export const fetchAPI = unstableCachedDashboard('p1');
