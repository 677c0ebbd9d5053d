// The article's "refresh mine" / "refresh everyone's" for the per-user tagged patterns.
import { revalidateTag, updateTag } from 'next/cache';
import { readSession } from '../session';
import { globalTag, userTag } from '../patterns/per-user-cache';

export async function revalidateMine(prefix: string) {
  revalidateTag(userTag(prefix, await readSession()), 'max'); // just me, stale-while-revalidate
}

export async function revalidateEveryone(prefix: string) {
  revalidateTag(globalTag(prefix), 'max'); // global flush
}

export async function updateMine(prefix: string) {
  updateTag(userTag(prefix, await readSession())); // read-your-writes
}
