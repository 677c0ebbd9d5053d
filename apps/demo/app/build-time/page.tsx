// Data fetched by `next build`: the page is prerendered and its fetch entry is written to the data
// cache on disk before the server starts. A revalidatePath('/build-time') right after `next start`
// reaches that entry (Next's next read misses and refetches), so it is not a no-op.
import { Suspense } from 'react';
import { backendUrl, type DashboardData } from '@/lib/backend';

async function BuildTimeData() {
  // Without a backend at build time the fetch fails: with cacheComponents the block then renders at
  // request time (hence the Suspense), without it the page is prerendered with this fallback.
  const data = await fetch(`${backendUrl()}/dashboard?pattern=build-time`, { cache: 'force-cache' })
    .then((res) => res.json() as Promise<DashboardData>)
    .catch(() => undefined);
  if (!data) return <p data-testid="build-time">the backend was not reachable when this was rendered</p>;
  return (
    <p data-testid="build-time" data-fetch-no={data.fetchNo}>
      backend fetch #{data.fetchNo} at {data.servedAt}
    </p>
  );
}

export default function BuildTimePage() {
  return (
    <main>
      <h1>Written at build time</h1>
      <p>
        <code>
          fetch(url, {'{'} cache: &apos;force-cache&apos; {'}'})
        </code>{' '}
        in a prerendered page, no tags: only the path reaches it (<code>POST /build-time/revalidate?path=/build-time</code>).
      </p>
      <Suspense fallback={<p>loading…</p>}>
        <BuildTimeData />
      </Suspense>
    </main>
  );
}
