// Stack probe (cachescope's differential tests, not linked from the nav): cookies() inside a 'use cache'
// function, which Next forbids. Its error must reach the server log with the same frames with and
// without cachescope (cachescope wraps cookies() to record the read).
import { cookies } from 'next/headers';
import { connection } from 'next/server';
import { Suspense } from 'react';

async function readsCookies(): Promise<string> {
  'use cache';
  return (await cookies()).toString();
}

async function CachedThrower() {
  await connection();
  const value = await readsCookies();
  return <p>{value}</p>;
}

export default function CookiesInUseCachePage() {
  return (
    <main>
      <h1>cookies() inside &apos;use cache&apos;</h1>
      <Suspense fallback={<p>…</p>}>
        <CachedThrower />
      </Suspense>
    </main>
  );
}
