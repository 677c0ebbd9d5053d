import { revalidateTag } from 'next/cache';
import type { NextRequest } from 'next/server';

// POST ?tag=<tag>: expires every entry carrying the tag now (the shapes tests' revalidation).
export async function POST(req: NextRequest) {
  const tag = req.nextUrl.searchParams.get('tag') ?? '';
  revalidateTag(tag, { expire: 0 });
  return Response.json({ revalidated: tag });
}
