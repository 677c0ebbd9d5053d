'use server';
import { revalidateEveryone, revalidateMine, updateMine as updateMineTag } from '@/lib/actions/per-user-tags';

export async function refreshMine() {
  await revalidateMine('p2');
}

export async function refreshEveryone() {
  await revalidateEveryone('p2');
}

export async function updateMine() {
  await updateMineTag('p2');
}
