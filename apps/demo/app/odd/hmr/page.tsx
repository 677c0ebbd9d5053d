// HMR probe for cachescope's safety tests (not linked from the nav): the test edits HMR_MARK during
// `next dev` and restores it, then checks the fetch below is still recorded once per call.
import { connection } from 'next/server';
import { Suspense } from 'react';
import { backendUrl } from '@/lib/backend';

const HMR_MARK = 'hmr-0';

async function Probe() {
  await connection();
  const res = await fetch(`${backendUrl()}/dashboard?pattern=odd-hmr`, { method: 'POST', cache: 'no-store' });
  const data = (await res.json()) as { fetchNo: number };
  return (
    <p data-testid="odd-hmr" data-mark={HMR_MARK} data-fetch-no={data.fetchNo}>
      {HMR_MARK} · backend fetch #{data.fetchNo}
    </p>
  );
}

export default function HmrProbePage() {
  return (
    <main>
      <h1>HMR probe</h1>
      <Suspense fallback={<p>…</p>}>
        <Probe />
      </Suspense>
    </main>
  );
}
