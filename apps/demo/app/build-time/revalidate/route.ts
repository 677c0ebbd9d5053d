import { revalidatePath } from 'next/cache';
import type { NextRequest } from 'next/server';

/** POST /build-time/revalidate?path=/build-time: what a CMS webhook would call after publishing. */
export async function POST(req: NextRequest) {
  const path = req.nextUrl.searchParams.get('path');
  if (!path) return Response.json({ error: 'path is required' }, { status: 400 });
  revalidatePath(path);
  return Response.json({ revalidated: path });
}
