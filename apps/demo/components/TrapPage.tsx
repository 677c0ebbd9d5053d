import { connection } from 'next/server';
import { Suspense, type ReactNode } from 'react';
import type { DashboardData } from '@/lib/backend';
import { ActionForms, type DemoAction } from './ActionForms';
import { DashboardView } from './DashboardView';

type Block = { testid: string; title: string; load: () => Promise<DashboardData> };

// Loads at request time (after connection()), so next build prerenders none of the trap's data.
async function Blocks({ blocks }: { blocks: Block[] }) {
  await connection();
  const data = await Promise.all(blocks.map((b) => b.load()));
  return (
    <div className="blocks">
      {blocks.map((b, i) => (
        <DashboardView key={b.testid} data={data[i]} testid={b.testid} title={b.title} />
      ))}
    </div>
  );
}

export function TrapPage({
  title,
  children,
  blocks,
  actions = [],
}: {
  title: string;
  children: ReactNode;
  blocks: Block[];
  actions?: DemoAction[];
}) {
  return (
    <main>
      <h1>{title}</h1>
      <div className="explain">{children}</div>
      <Suspense fallback={<p className="card muted">loading…</p>}>
        <Blocks blocks={blocks} />
      </Suspense>
      <ActionForms actions={actions} />
    </main>
  );
}
