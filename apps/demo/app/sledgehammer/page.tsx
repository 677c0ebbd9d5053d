import { PatternPage } from '@/components/PatternPage';
import { perUserTagActions } from '@/components/per-user-actions';
import { unstableCachedDashboard } from '@/lib/patterns/per-user-cache';
import { refreshEveryone, refreshMine, sledgehammerPath, sledgehammerTag, updateMine } from './actions';

const fetchAPI = unstableCachedDashboard('sh');

export default function SledgehammerPage() {
  return (
    <PatternPage
      title="The sledgehammer"
      load={fetchAPI}
      actions={[
        ...perUserTagActions('sh', { refreshMine, refreshEveryone, updateMine }),
        { name: 'sledgehammer-tag', label: "Sledgehammer: revalidateTag('')", code: "revalidateTag('')", action: sledgehammerTag },
        {
          name: 'sledgehammer-path',
          label: 'Sledgehammer: revalidatePath layout',
          code: "revalidatePath('/', 'layout')",
          action: sledgehammerPath,
        },
      ]}
    >
      <p>
        Per-user cached data (as Pattern 1). &quot;Revalidate everything on every mutation&quot; throws away every user&apos;s entry when
        one user acts: watch the other users&apos; counters.
      </p>
    </PatternPage>
  );
}
