import { connection } from 'next/server';
import { Suspense } from 'react';
import { LONG_TAG, MANY_TAGS, readShape } from '@/lib/shapes';

type Props = { searchParams: Promise<{ run?: string }> };

// Stored fetches whose tags pass Next's limits: Next stores each entry without the tags it drops.
async function Read({ searchParams }: Props) {
  await connection();
  const run = (await searchParams).run ?? 'default';
  const [long, many] = await Promise.all([
    readShape('long-tag', run, { cache: 'force-cache', next: { tags: ['shapes:long-ok', LONG_TAG] } }),
    readShape('many-tags', run, { cache: 'force-cache', next: { tags: MANY_TAGS } }),
  ]);
  return (
    <>
      <p data-testid="shape-long-fetch-no">{long.fetchNo}</p>
      <p data-testid="shape-many-fetch-no">{many.fetchNo}</p>
    </>
  );
}

export default function TagLimitsShape(props: Props) {
  return (
    <main>
      <h1>Shape: tags past Next&apos;s limits</h1>
      <Suspense fallback={null}>
        <Read {...props} />
      </Suspense>
    </main>
  );
}
