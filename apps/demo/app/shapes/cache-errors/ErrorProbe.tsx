// Stack probes for cachescope's differential tests (not linked from the nav): each page under
// /shapes/cache-errors awaits one failing cached call at request time, and the server log must show
// the same frames (down to `at async Thrower`) with and without cachescope.
import { connection } from 'next/server';
import { Suspense, type ReactNode } from 'react';

async function Thrower({ run }: { run: () => Promise<unknown> }) {
  await connection();
  const value = await run();
  return <p>{String(value)}</p>;
}

export function ErrorProbe({ title, run }: { title: ReactNode; run: () => Promise<unknown> }) {
  return (
    <main>
      <h1>{title}</h1>
      <Suspense fallback={<p>…</p>}>
        <Thrower run={run} />
      </Suspense>
    </main>
  );
}
