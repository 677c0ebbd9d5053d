// An error thrown inside an unstable_cache callback: revalidateTag, which Next forbids there.
import { revalidateTag, unstable_cache } from 'next/cache';
import { ErrorProbe } from '../ErrorProbe';

const forbidden = unstable_cache(async () => {
  revalidateTag('cache-errors', 'max');
  return 'unreachable';
}, ['cache-errors:unstable-cache']);

export default function UnstableCacheErrorPage() {
  return <ErrorProbe title="An error inside unstable_cache" run={forbidden} />;
}
