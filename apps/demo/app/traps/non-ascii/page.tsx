import { TrapPage } from '@/components/TrapPage';
import { NON_ASCII_TAG, loadNonAscii } from '@/lib/traps/data';
import { updateNonAsciiTag } from '../actions';

export default function NonAsciiTrap() {
  return (
    <TrapPage
      title="Trap: a non-ASCII tag"
      blocks={[{ testid: 'dashboard', title: `'use cache', cacheTag('${NON_ASCII_TAG}')`, load: loadNonAscii }]}
      actions={[{ name: 'update-non-ascii', label: 'Update', code: `updateTag('${NON_ASCII_TAG}')`, action: updateNonAsciiTag }]}
    >
      <p>
        Next 16.5 percent-encodes tags when attaching and when invalidating (<code>trap:caf%C3%A9</code>), so this works; cachescope matches
        both forms and shows the one you wrote.
      </p>
    </TrapPage>
  );
}
