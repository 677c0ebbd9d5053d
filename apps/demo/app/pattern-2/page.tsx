import { PatternPage } from '@/components/PatternPage';
import { fetchAPI } from '@/lib/patterns/use-cache';
import { refreshEveryone, refreshMine, updateMine } from './actions';

export default function Pattern2Page() {
  return (
    <PatternPage
      title="Pattern 2: 'use cache' + cacheTag + cacheLife"
      load={fetchAPI}
      actions={[
        { name: 'refresh-mine', label: 'Refresh mine', code: "revalidateTag(`p2:dashboard-data:${hash}`, 'max')", action: refreshMine },
        { name: 'refresh-everyone', label: "Refresh everyone's", code: "revalidateTag('p2:dashboard-data', 'max')", action: refreshEveryone },
        { name: 'update-mine', label: 'Update mine (updateTag)', code: 'updateTag(`p2:dashboard-data:${hash}`)', action: updateMine },
      ]}
    >
      <p>
        A <code>&apos;use cache&apos;</code> function takes the session as an argument (read outside), tags itself with{' '}
        <code>cacheTag</code> and lives for <code>cacheLife(&apos;minutes&apos;)</code>.
      </p>
    </PatternPage>
  );
}
