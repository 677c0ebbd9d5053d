// Pattern 3 of the article: accept the dynamic fetch, dedupe it within one request with
// React.cache, and refresh with revalidatePath. (POST, so Next's own GET dedupe does not apply.)
import { cache } from 'react';
import { dashboardUrl, type DashboardData } from '../backend';
import { readSession } from '../session';

export const fetchAPI = cache(async (): Promise<DashboardData> => {
  const sessionCookie = await readSession();
  const res = await fetch(dashboardUrl('p3'), {
    method: 'POST',
    headers: { Cookie: `session=${sessionCookie}` },
  });
  if (!res.ok) throw new Error(`API ${res.status}`);
  return res.json();
});
