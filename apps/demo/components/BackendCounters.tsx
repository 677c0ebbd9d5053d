'use client';
import { useEffect, useState } from 'react';

type Stats = { hits: Record<string, Record<string, number>>; total: number };
const PATTERNS = ['broken', 'p1', 'p2', 'p3', 'sh'];
const USERS = ['alice', 'bob', 'carol'];

/** Live backend hit counters, polled straight from the backend so they add no Next requests. */
export function BackendCounters({ backendUrl }: { backendUrl: string }) {
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const res = await fetch(`${backendUrl}/__stats`, { cache: 'no-store' });
        if (!stopped) {
          setStats(await res.json());
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(String(e));
      }
    };
    void poll();
    const timer = setInterval(poll, 500);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [backendUrl]);

  return (
    <section className="counters" data-testid="backend-counters" aria-label="Backend hit counters">
      <h2>Backend hits</h2>
      {error ? <p className="muted">backend unreachable: {error}</p> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">pattern</th>
            {USERS.map((u) => (
              <th scope="col" key={u}>
                {u}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PATTERNS.map((p) => (
            <tr key={p}>
              <th scope="row">{p}</th>
              {USERS.map((u) => (
                <td key={u} data-testid={`count-${p}-${u}`}>
                  {stats?.hits[p]?.[u] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" data-testid="count-total">
        total {stats?.total ?? 0}
      </p>
    </section>
  );
}
