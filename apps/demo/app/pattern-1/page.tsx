import { PatternPage } from '@/components/PatternPage';
import { perUserTagActions } from '@/components/per-user-actions';
import { fetchAPI } from '@/lib/patterns/per-user-cache';
import { refreshEveryone, refreshMine, updateMine } from './actions';

export default function Pattern1Page() {
  return (
    <PatternPage
      title="Pattern 1: unstable_cache keyed by the session"
      load={fetchAPI}
      actions={perUserTagActions('p1', { refreshMine, refreshEveryone, updateMine })}
    >
      <p>
        The cookie is read outside <code>unstable_cache</code> and passed as a key part: one entry per user, tagged{' '}
        <code>p1:dashboard-data</code> and <code>p1:dashboard-data:&lt;sha256(session)&gt;</code>, revalidate 60.
      </p>
    </PatternPage>
  );
}
