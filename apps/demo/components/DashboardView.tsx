import type { DashboardData } from '@/lib/backend';

/** One block of backend data. data-fetch-no is the backend's hit count when this data was fetched. */
export function DashboardView({ data, testid = 'dashboard', title }: { data: DashboardData; testid?: string; title: string }) {
  return (
    <section className="card" data-testid={testid} data-user={data.user} data-fetch-no={data.fetchNo}>
      <h3>{title}</h3>
      <p className="meta">
        for <strong>{data.user}</strong> · backend fetch #{data.fetchNo} · served {data.servedAt.slice(11, 23)}
      </p>
      <ul>
        {data.widgets.map((w) => (
          <li key={w.id}>
            {w.label}: <strong>{w.value}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SignedOut() {
  return <p className="card muted">Sign in with the switcher above to load a dashboard.</p>;
}
