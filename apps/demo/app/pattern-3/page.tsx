import { PatternPage } from '@/components/PatternPage';
import { fetchAPI } from '@/lib/patterns/react-cache';
import { refreshEveryone, refreshMine } from './actions';

export default function Pattern3Page() {
  return (
    <PatternPage
      title="Pattern 3: React.cache + revalidatePath"
      load={fetchAPI}
      extraBlocks={[{ testid: 'dashboard-summary', title: 'Summary (same fetchAPI call)' }]}
      actions={[
        { name: 'refresh-mine', label: 'Refresh mine', code: "revalidatePath('/pattern-3')", action: refreshMine },
        { name: 'refresh-everyone', label: "Refresh everyone's", code: "revalidatePath('/pattern-3')", action: refreshEveryone },
      ]}
    >
      <p>
        Not cached: two components call <code>fetchAPI()</code>, and <code>React.cache</code> makes that one backend hit per request. The
        refresh re-renders the page.
      </p>
    </PatternPage>
  );
}
