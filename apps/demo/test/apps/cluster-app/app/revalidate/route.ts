import { revalidateTag } from 'next/cache';

export async function POST() {
  revalidateTag('shared', { expire: 0 });
  return Response.json({ revalidated: 'shared' });
}
