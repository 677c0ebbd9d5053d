import { TrapPage } from '@/components/TrapPage';
import { REVALIDATE_0_TAG, loadRevalidate0 } from '@/lib/traps/data';
import { revalidateRevalidate0Tag } from '../actions';

export default function Revalidate0Trap() {
  return (
    <TrapPage
      title="Trap: a tag on a revalidate: 0 fetch"
      blocks={[
        { testid: 'dashboard', title: `fetch(url, { next: { revalidate: 0, tags: ['${REVALIDATE_0_TAG}'] } })`, load: loadRevalidate0 },
      ]}
      actions={[
        {
          name: 'revalidate-revalidate-0',
          label: 'Revalidate',
          code: `revalidateTag('${REVALIDATE_0_TAG}', 'max')`,
          action: revalidateRevalidate0Tag,
        },
      ]}
    >
      <p>
        <code>revalidate: 0</code> means &quot;never store&quot;: every request goes to the backend and the tag reaches no entry, so the
        revalidation does nothing. cachescope reports the orphaned tag with that cause.
      </p>
    </TrapPage>
  );
}
