'use server';
import { revalidatePath } from 'next/cache';

// Nothing is cached for this page; revalidatePath re-renders it, which re-runs fetchAPI.
export async function refreshMine() {
  revalidatePath('/pattern-3');
}

export async function refreshEveryone() {
  revalidatePath('/pattern-3');
}
