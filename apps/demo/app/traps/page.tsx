import Link from 'next/link';

const TRAPS = [
  ['/traps/key-part', 'A tag passed as an unstable_cache key part', 'the revalidation reaches nothing'],
  ['/traps/update-tag', 'updateTag re-renders the whole route', 'uncached data refreshes too'],
  ['/traps/non-ascii', 'A non-ASCII tag', 'Next percent-encodes it'],
  ['/traps/short-expire', "A short 'use cache' expire in next dev", 'raised to five minutes'],
  ['/traps/revalidate-0', 'A tag on a revalidate: 0 fetch', 'never stored, so never revalidated'],
  ['/traps/render-revalidate', 'revalidateTag during render', 'Next throws'],
  ['/traps/posts/first', 'revalidatePath of a route pattern without a type', 'does nothing'],
] as const;

export default function Traps() {
  return (
    <main>
      <h1>Traps: where Next is silent</h1>
      <p>Each page does one thing Next accepts without a word; the backend counters show what really happened, cachescope says why.</p>
      <ol className="patterns">
        {TRAPS.map(([href, title, what]) => (
          <li key={href}>
            <Link href={href}>{title}</Link>: {what}.
          </li>
        ))}
      </ol>
    </main>
  );
}
