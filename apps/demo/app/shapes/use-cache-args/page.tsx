import { connection } from 'next/server';
import { Suspense } from 'react';
import { ActionForms } from '@/components/ActionForms';
import { DashboardView } from '@/components/DashboardView';
import { updateArgsTag } from './actions';
import { ARGS, ARGS_TAG, getData } from './data';

async function Blocks() {
  await connection();
  const data = await Promise.all(ARGS.map((arg) => getData(arg)));
  return (
    <div className="blocks">
      {data.map((d, i) => (
        <DashboardView key={ARGS[i]} data={d} testid={`dashboard-${ARGS[i]}`} title={`getData('${ARGS[i]}')`} />
      ))}
    </div>
  );
}

export default function UseCacheArgsPage() {
  return (
    <main>
      <h1>&apos;use cache&apos; with arguments, no users</h1>
      <div className="explain">
        <p>
          <code>getData(&apos;a&apos;)</code> … <code>getData(&apos;d&apos;)</code>: one <code>&apos;use cache&apos;</code> function, four
          entries, all tagged <code>{ARGS_TAG}</code>, no cookie read. <code>updateTag</code> invalidates the four entries; cachescope
          reports no user scope and no broad revalidation, because argument values are not users.
        </p>
      </div>
      <Suspense fallback={<p className="card muted">loading…</p>}>
        <Blocks />
      </Suspense>
      <ActionForms
        actions={[{ name: 'update-args-tag', label: `updateTag('${ARGS_TAG}')`, code: `updateTag('${ARGS_TAG}')`, action: updateArgsTag }]}
      />
    </main>
  );
}
