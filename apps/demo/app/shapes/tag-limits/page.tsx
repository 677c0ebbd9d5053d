import { connection } from 'next/server';
import { LONG_TAG, MANY_TAGS, readShape } from '@/lib/shapes';

// Stored fetches whose tags pass Next's limits: Next stores each entry without the tags it drops.
export default async function TagLimitsShape({ searchParams }: { searchParams: Promise<{ run?: string }> }) {
  await connection();
  const run = (await searchParams).run ?? 'default';
  const [long, many] = await Promise.all([
    readShape('long-tag', run, { cache: 'force-cache', next: { tags: ['shapes:long-ok', LONG_TAG] } }),
    readShape('many-tags', run, { cache: 'force-cache', next: { tags: MANY_TAGS } }),
  ]);
  return (
    <main>
      <h1>Shape: tags past Next&apos;s limits</h1>
      <p data-testid="shape-long-fetch-no">{long.fetchNo}</p>
      <p data-testid="shape-many-fetch-no">{many.fetchNo}</p>
    </main>
  );
}
