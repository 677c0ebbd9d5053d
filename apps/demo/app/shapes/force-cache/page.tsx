import { connection } from 'next/server';
import { Suspense } from 'react';
import { NON_ASCII_TAG, readShape } from '@/lib/shapes';

type Props = { searchParams: Promise<{ run?: string }> };

// A dynamic page whose fetch Next stores: cache: 'force-cache' with a plain and a non-ASCII tag.
async function Read({ searchParams }: Props) {
  await connection();
  const run = (await searchParams).run ?? 'default';
  const { fetchNo } = await readShape('fc', run, { cache: 'force-cache', next: { tags: ['shapes:fc', NON_ASCII_TAG] } });
  return <p data-testid="shape-fetch-no">{fetchNo}</p>;
}

export default function ForceCacheShape(props: Props) {
  return (
    <main>
      <h1>Shape: force-cache in a dynamic page</h1>
      <Suspense fallback={null}>
        <Read {...props} />
      </Suspense>
    </main>
  );
}
