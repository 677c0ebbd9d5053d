import { Suspense, type ReactNode } from 'react';
import type { DashboardData } from '@/lib/backend';
import { readSession, userOf } from '@/lib/session';
import { ActionForms, type DemoAction } from './ActionForms';
import { DashboardView, SignedOut } from './DashboardView';

type Props = {
  title: string;
  /** what the pattern does and what the backend counters should show */
  children: ReactNode;
  load: () => Promise<DashboardData>;
  actions: DemoAction[];
  /** extra blocks that read the same data (pattern 3 shows the React.cache dedupe) */
  extraBlocks?: { testid: string; title: string }[];
};

async function Blocks({ load, extraBlocks = [] }: Pick<Props, 'load' | 'extraBlocks'>) {
  if (!userOf(await readSession())) return <SignedOut />;
  const blocks = [{ testid: 'dashboard', title: 'Dashboard' }, ...extraBlocks];
  // Each block calls load() on its own, as separate components would.
  const data = await Promise.all(blocks.map(() => load()));
  return (
    <div className="blocks">
      {blocks.map((b, i) => (
        <DashboardView key={b.testid} data={data[i]} testid={b.testid} title={b.title} />
      ))}
    </div>
  );
}

export function PatternPage({ title, children, load, actions, extraBlocks }: Props) {
  return (
    <main>
      <h1>{title}</h1>
      <div className="explain">{children}</div>
      <Suspense fallback={<p className="card muted">loading dashboard…</p>}>
        <Blocks load={load} extraBlocks={extraBlocks} />
      </Suspense>
      <ActionForms actions={actions} />
    </main>
  );
}
