import Link from 'next/link';
import { getAnnouncements } from '@/lib/announcements';

export default async function Home() {
  const announcements = await getAnnouncements();
  return (
    <main>
      <h1>Per-user revalidation in Next.js 16</h1>
      <p>
        Each page loads the same backend endpoint for the signed-in user in a different way. Sign in, open a page, press its refresh buttons
        and watch the backend hit counters: they show which refresh really refetched.
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
        <li>
          <Link href="/traps">Traps</Link>: what Next accepts without a word (key-part tags, updateTag&apos;s re-render, non-ASCII tags, dev
          cache lifetimes).
        </li>
      </ol>
      <section className="card" data-testid="announcements" data-generated-at={announcements.generatedAt}>
        <h2>Announcements</h2>
        <ul>
          {announcements.items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p className="meta">
          cached with <code>cacheTag(&apos;announcements&apos;)</code> · generated {announcements.generatedAt}; refresh with{' '}
          <code>POST /api/announcements</code>
        </p>
      </section>
    </main>
  );
}
