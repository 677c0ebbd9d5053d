import { revalidateTag } from 'next/cache';

/** POST /api/announcements: an editor published something; refresh the home page block for everyone. */
export async function POST() {
  revalidateTag('announcements', 'max');
  return Response.json({ revalidated: ['announcements'] });
}
