// Stack probe (cachescope's differential tests, not linked from the nav): a fetch that fails (nothing
// listens on port 9) must reject with the same frames with and without cachescope.
import { connection } from 'next/server';
import { Suspense } from 'react';

async function FetchThrower() {
  await connection();
  const res = await fetch('http://127.0.0.1:9/cache-errors', { cache: 'force-cache', next: { tags: ['cache-errors'] } });
  return <p>{res.status}</p>;
}

export default function FetchErrorPage() {
  return (
    <main>
      <h1>A failing fetch</h1>
      <Suspense fallback={<p>…</p>}>
        <FetchThrower />
      </Suspense>
    </main>
  );
}
