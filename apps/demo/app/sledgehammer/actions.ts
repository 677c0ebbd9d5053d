'use server';
import { revalidatePath, revalidateTag } from 'next/cache';
import { revalidateEveryone, revalidateMine, updateMine as updateMineTag } from '@/lib/actions/per-user-tags';

export async function refreshMine() {
  await revalidateMine('sh');
}

export async function refreshEveryone() {
  await revalidateEveryone('sh');
}

export async function updateMine() {
  await updateMineTag('sh');
}

/** The article's sledgehammer, verbatim: an empty tag on every mutation. */
export async function sledgehammerTag() {
  // The deprecated one-argument form (Next 16's types require a profile) is the point here.
  (revalidateTag as (tag: string) => void)('');
}

/** What really invalidates every user's entries in Next 16: the root layout's implicit tag. */
export async function sledgehammerPath() {
  revalidatePath('/', 'layout');
}
