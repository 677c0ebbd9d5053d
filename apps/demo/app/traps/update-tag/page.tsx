import { TrapPage } from '@/components/TrapPage';
import { UPDATE_TAG_CACHED, loadUpdateTagCached, loadUpdateTagLive } from '@/lib/traps/data';
import { updateCachedBlock, updateUnrelatedTag } from '../actions';

export default function UpdateTagTrap() {
  return (
    <TrapPage
      title="Trap: updateTag re-renders the whole route"
      blocks={[
        { testid: 'dashboard', title: `Cached ('use cache', cacheTag('${UPDATE_TAG_CACHED}'))`, load: loadUpdateTagCached },
        { testid: 'dashboard-live', title: 'Live (uncached fetch)', load: loadUpdateTagLive },
      ]}
      actions={[
        { name: 'update-cached', label: 'Update the cached block', code: `updateTag('${UPDATE_TAG_CACHED}')`, action: updateCachedBlock },
        {
          name: 'update-unrelated',
          label: 'Update a tag this page does not use',
          code: "updateTag('trap:not-on-this-page')",
          action: updateUnrelatedTag,
        },
      ]}
    >
      <p>
        In a Server Action, <code>updateTag</code> makes Next re-render the current route whatever the tag: the live block refetches after
        either button (&quot;updateTag updated unrelated data&quot;, next.js #85739), the cached block only after the first. cachescope
        notes the re-render on the revalidation.
      </p>
    </TrapPage>
  );
}
