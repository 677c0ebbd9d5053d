// Stack probe (cachescope's differential tests, not linked from the nav): an error thrown inside an
// unstable_cache callback, here revalidateTag, which Next forbids there. The server log must show the
// same frames (down to `at async CachedThrower`) with and without cachescope.
import { revalidateTag, unstable_cache } from 'next/cache';
import { connection } from 'next/server';
import { Suspense } from 'react';

const forbidden = unstable_cache(
  async () => {
    revalidateTag('cache-errors', 'max');
    return 'unreachable';
  },
  ['cache-errors:unstable-cache'],
);

async function CachedThrower() {
  await connection();
  const value = await forbidden();
  return <p>{value}</p>;
}

export default function UnstableCacheErrorPage() {
  return (
    <main>
      <h1>An error inside unstable_cache</h1>
      <Suspense fallback={<p>…</p>}>
        <CachedThrower />
      </Suspense>
    </main>
  );
}
