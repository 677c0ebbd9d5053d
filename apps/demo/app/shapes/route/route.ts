import { connection, type NextRequest } from 'next/server';
import { NON_ASCII_TAG, readShape } from '@/lib/shapes';

// A route handler whose fetch Next stores: cache: 'force-cache' with a plain and a non-ASCII tag.
export async function GET(req: NextRequest) {
  await connection();
  const run = req.nextUrl.searchParams.get('run') ?? 'default';
  return Response.json(await readShape('route', run, { cache: 'force-cache', next: { tags: ['shapes:route', NON_ASCII_TAG] } }));
}
