// Stack probe (cachescope's differential tests, not linked from the nav): an error thrown inside a
// 'use cache' function must reach the server log with the same frames with and without cachescope.
import { connection } from 'next/server';
import { Suspense } from 'react';

async function failing(): Promise<string> {
  'use cache';
  throw new Error("cache-errors: 'use cache' threw");
}

async function CachedThrower() {
  await connection();
  const value = await failing();
  return <p>{value}</p>;
}

export default function UseCacheErrorPage() {
  return (
    <main>
      <h1>An error inside &apos;use cache&apos;</h1>
      <Suspense fallback={<p>…</p>}>
        <CachedThrower />
      </Suspense>
    </main>
  );
}
