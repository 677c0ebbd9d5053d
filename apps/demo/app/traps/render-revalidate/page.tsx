import { revalidateTag } from 'next/cache';
import { connection } from 'next/server';
import { Suspense } from 'react';

// revalidateTag while rendering: Next throws (revalidation belongs in Server Actions and route handlers).
// The page shows Next's error message, which cachescope records on the failed revalidation.
async function Attempt() {
  await connection();
  let error = 'none';
  try {
    revalidateTag('trap:in-render', 'max');
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  return (
    <p className="card" data-testid="render-revalidate-error">
      {error}
    </p>
  );
}

export default function RenderRevalidateTrap() {
  return (
    <main>
      <h1>Trap: revalidateTag during render</h1>
      <div className="explain">
        <p>
          <code>revalidateTag(&apos;trap:in-render&apos;, &apos;max&apos;)</code> in a Server Component: Next throws the error below and
          revalidates nothing. cachescope records the revalidation as failed, with Next&apos;s error.
        </p>
      </div>
      <Suspense fallback={<p className="card muted">loading…</p>}>
        <Attempt />
      </Suspense>
    </main>
  );
}
