import { TrapPage } from '@/components/TrapPage';
import { SHORT_EXPIRE_TAG, loadShortExpire } from '@/lib/traps/data';
import { updateShortExpireTag } from '../actions';

export default function ShortExpireTrap() {
  return (
    <TrapPage
      title="Trap: a short 'use cache' expire in next dev"
      blocks={[
        { testid: 'dashboard', title: `cacheLife({ revalidate: 1, expire: 1 }), cacheTag('${SHORT_EXPIRE_TAG}')`, load: loadShortExpire },
      ]}
      actions={[{ name: 'update-short-expire', label: 'Update', code: `updateTag('${SHORT_EXPIRE_TAG}')`, action: updateShortExpireTag }]}
    >
      <p>
        Reload after a second: <code>next start</code> refetches (the entry expired), <code>next dev</code> serves the cached value (it
        keeps entries with an expire under five minutes for five minutes). cachescope labels that hit, and in dev counts the entry as live
        for a revalidation.
      </p>
    </TrapPage>
  );
}
