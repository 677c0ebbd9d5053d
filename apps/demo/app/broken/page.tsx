import { PatternPage } from '@/components/PatternPage';
import { fetchAPI } from '@/lib/patterns/broken';
import { refreshEveryone, refreshMine, updateMine } from './actions';

export default function BrokenPage() {
  return (
    <PatternPage
      title="The broken pattern"
      load={fetchAPI}
      actions={[
        { name: 'refresh-mine', label: 'Refresh mine', code: "revalidateTag('dashboard-data', 'max')", action: refreshMine },
        { name: 'refresh-everyone', label: "Refresh everyone's", code: "revalidateTag('dashboard-data', 'max')", action: refreshEveryone },
        { name: 'update-mine', label: 'Update mine (updateTag)', code: "updateTag('dashboard-data')", action: updateMine },
      ]}
    >
      <p>
        <code>cookies()</code> + <code>{"fetch(url, { headers: { Cookie }, next: { tags: ['dashboard-data'] } })"}</code>. Next skips the
        data cache for this fetch, so the tag never reaches a cache entry: every request hits the backend, and the refresh buttons
        invalidate nothing.
      </p>
    </PatternPage>
  );
}
