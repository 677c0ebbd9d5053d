'use server';
import { revalidateTag, updateTag } from 'next/cache';

// The article's refreshDashboard(): nothing carries 'dashboard-data', so these invalidate nothing.
export async function refreshMine() {
  revalidateTag('dashboard-data', 'max');
}

export async function refreshEveryone() {
  revalidateTag('dashboard-data', 'max');
}

export async function updateMine() {
  updateTag('dashboard-data');
}
