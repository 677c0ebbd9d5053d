// Where the demo's backend lives. Read at request time: tests start it on a random port.
export type PatternLabel = 'broken' | 'p1' | 'p2' | 'p3' | 'sh';

export function backendUrl(): string {
  return process.env.BACKEND_URL ?? 'http://127.0.0.1:4100';
}

export function dashboardUrl(pattern: PatternLabel): string {
  return `${backendUrl()}/dashboard?pattern=${pattern}`;
}

export type DashboardData = {
  user: string;
  pattern: string;
  fetchNo: number;
  servedAt: string;
  widgets: { id: string; label: string; value: number }[];
};
