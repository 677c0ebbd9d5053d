import { PatternPage } from '@/components/PatternPage';
import { perUserTagActions } from '@/components/per-user-actions';
import { fetchAPI } from '@/lib/patterns/use-cache';
import { refreshEveryone, refreshMine, updateMine } from './actions';

export default function Pattern2Page() {
  return (
    <PatternPage
      title="Pattern 2: 'use cache' + cacheTag + cacheLife"
      load={fetchAPI}
      actions={perUserTagActions('p2', { refreshMine, refreshEveryone, updateMine })}
    >
      <p>
        A <code>&apos;use cache&apos;</code> function takes the session as an argument (read outside), tags itself with{' '}
        <code>cacheTag</code> and lives for <code>cacheLife(&apos;minutes&apos;)</code>.
      </p>
    </PatternPage>
  );
}
