// A GET route handler prerendered by `next build`, with a build-time fetch entry and no page.
import { backendUrl } from '@/lib/backend';

export async function GET() {
  const data = await fetch(`${backendUrl()}/dashboard?pattern=build-time-route`, { cache: 'force-cache' })
    .then((res) => res.json() as Promise<{ fetchNo: number }>)
    .catch(() => undefined);
  return Response.json({ fetchNo: data?.fetchNo ?? null });
}
