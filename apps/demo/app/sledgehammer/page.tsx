import { PatternPage } from '@/components/PatternPage';
import { unstableCachedDashboard } from '@/lib/patterns/per-user-cache';
import { refreshEveryone, refreshMine, sledgehammerPath, sledgehammerTag, updateMine } from './actions';

const fetchAPI = unstableCachedDashboard('sh');

export default function SledgehammerPage() {
  return (
    <PatternPage
      title="The sledgehammer"
      load={fetchAPI}
      actions={[
        { name: 'refresh-mine', label: 'Refresh mine', code: "revalidateTag(`sh:dashboard-data:${hash}`, 'max')", action: refreshMine },
        { name: 'refresh-everyone', label: "Refresh everyone's", code: "revalidateTag('sh:dashboard-data', 'max')", action: refreshEveryone },
        { name: 'update-mine', label: 'Update mine (updateTag)', code: 'updateTag(`sh:dashboard-data:${hash}`)', action: updateMine },
        { name: 'sledgehammer-tag', label: "Sledgehammer: revalidateTag('')", code: "revalidateTag('')", action: sledgehammerTag },
        { name: 'sledgehammer-path', label: 'Sledgehammer: revalidatePath layout', code: "revalidatePath('/', 'layout')", action: sledgehammerPath },
      ]}
    >
      <p>
        Per-user cached data (as Pattern 1). &quot;Revalidate everything on every mutation&quot; throws away every user&apos;s entry
        when one user acts: watch the other users&apos; counters.
      </p>
    </PatternPage>
  );
}
