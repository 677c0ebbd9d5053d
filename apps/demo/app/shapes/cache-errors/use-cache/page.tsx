// An error thrown inside a 'use cache' function.
import { ErrorProbe } from '../ErrorProbe';

async function failing(): Promise<string> {
  'use cache';
  throw new Error("cache-errors: 'use cache' threw");
}

export default function UseCacheErrorPage() {
  return <ErrorProbe title="An error inside 'use cache'" run={failing} />;
}
