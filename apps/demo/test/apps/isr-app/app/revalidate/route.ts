import { revalidateTag } from 'next/cache';

export async function POST() {
  revalidateTag('isr-data', { expire: 0 });
  return Response.json({ revalidated: 'isr-data' });
}
