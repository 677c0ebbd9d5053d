// A fetch that fails (nothing listens on port 9).
import { ErrorProbe } from '../ErrorProbe';

const failingFetch = () => fetch('http://127.0.0.1:9/cache-errors', { cache: 'force-cache', next: { tags: ['cache-errors'] } });

export default function FetchErrorPage() {
  return <ErrorProbe title="A failing fetch" run={failingFetch} />;
}
