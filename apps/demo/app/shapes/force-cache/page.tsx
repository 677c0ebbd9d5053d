import { connection } from 'next/server';
import { NON_ASCII_TAG, readShape } from '@/lib/shapes';

// A dynamic page whose fetch Next stores: cache: 'force-cache' with a plain and a non-ASCII tag.
export default async function ForceCacheShape({ searchParams }: { searchParams: Promise<{ run?: string }> }) {
  await connection();
  const run = (await searchParams).run ?? 'default';
  const { fetchNo } = await readShape('fc', run, { cache: 'force-cache', next: { tags: ['shapes:fc', NON_ASCII_TAG] } });
  return (
    <main>
      <h1>Shape: force-cache in a dynamic page</h1>
      <p data-testid="shape-fetch-no">{fetchNo}</p>
    </main>
  );
}
