import { TrapPage } from '@/components/TrapPage';
import { KEY_PART_TAG, loadKeyPartPosts } from '@/lib/traps/data';
import { updateKeyPartTag } from '../actions';

export default function KeyPartTrap() {
  return (
    <TrapPage
      title="Trap: a tag passed as an unstable_cache key part"
      blocks={[{ testid: 'dashboard', title: 'Posts (unstable_cache)', load: loadKeyPartPosts }]}
      actions={[{ name: 'update-key-part', label: 'Update posts', code: `updateTag('${KEY_PART_TAG}')`, action: updateKeyPartTag }]}
    >
      <p>
        <code>unstable_cache(getPosts, [&apos;trap-key-part&apos;, &apos;{KEY_PART_TAG}&apos;])</code>: the second argument only names the
        entry, so <code>updateTag(&apos;{KEY_PART_TAG}&apos;)</code> reaches nothing and the backend counter does not move. Next says
        nothing; cachescope names the key part and the fix (<code>{`{ tags: ['${KEY_PART_TAG}'] }`}</code>).
      </p>
    </TrapPage>
  );
}
