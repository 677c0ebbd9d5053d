// Data fetched by `next build`: the page is prerendered and its fetch entry is written to the data
// cache on disk before the server starts. A revalidatePath('/build-time') right after `next start`
// reaches that entry (Next's next read misses and refetches), so it is not a no-op.
// Without a backend at build time the page is prerendered with the fallback below.
import { backendUrl, type DashboardData } from '@/lib/backend';

export default async function BuildTimePage() {
  const data = await fetch(`${backendUrl()}/dashboard?pattern=build-time`, { cache: 'force-cache' })
    .then((res) => res.json() as Promise<DashboardData>)
    .catch(() => undefined);
  return (
    <main>
      <h1>Written at build time</h1>
      <p>
        <code>fetch(url, {'{'} cache: &apos;force-cache&apos; {'}'})</code> in a prerendered page, no tags: only the path
        reaches it (<code>POST /build-time/revalidate?path=/build-time</code>).
      </p>
      <p data-testid="build-time" data-fetch-no={data?.fetchNo ?? ''}>
        {data ? `backend fetch #${data.fetchNo} at ${data.servedAt}` : 'the backend was not reachable when this page was built'}
      </p>
    </main>
  );
}
