// The pattern the article starts from: cookies() + Cookie header + next.tags, no cache option.
// Next 16 skips the data cache for it ("auto no cache") and drops the tag, so the
// revalidateTag('dashboard-data') in ./broken-actions.ts has nothing to invalidate.
import { cookies } from 'next/headers';
import { dashboardUrl, type DashboardData } from '../backend';

export const fetchAPI = async (): Promise<DashboardData> => {
  const cookieStore = await cookies();
  const res = await fetch(dashboardUrl('broken'), {
    method: 'POST',
    headers: { Cookie: cookieStore.toString() },
    next: { tags: ['dashboard-data'] }, // silently ignored: never reaches a cache entry
  });
  if (!res.ok) throw new Error(`API ${res.status}`);
  return res.json();
};
