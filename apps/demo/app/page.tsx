import Link from 'next/link';

export default function Home() {
  return (
    <main>
      <h1>Per-user revalidation in Next.js 16</h1>
      <p>
        Each page loads the same backend endpoint for the signed-in user in a different way. Sign in, open a page, press its
        refresh buttons and watch the backend hit counters: they show which refresh really refetched.
      </p>
      <ol className="patterns">
        <li>
          <Link href="/broken">The broken pattern</Link>: <code>cookies()</code> + <code>next.tags</code>; revalidateTag does nothing.
        </li>
        <li>
          <Link href="/pattern-1">Pattern 1</Link>: <code>unstable_cache</code> with the session as key part, per-user hashed tags.
        </li>
        <li>
          <Link href="/pattern-2">Pattern 2</Link>: <code>&apos;use cache&apos;</code> + <code>cacheTag</code> + <code>cacheLife</code>.
        </li>
        <li>
          <Link href="/pattern-3">Pattern 3</Link>: <code>React.cache</code> dedupe + <code>revalidatePath</code>.
        </li>
        <li>
          <Link href="/sledgehammer">The sledgehammer</Link>: invalidate everything on every mutation.
        </li>
      </ol>
    </main>
  );
}
