// A global (not per-user) cached block: prerendered by `next build` into the home page, tagged
// 'announcements'. It shows that a tag on data that really is cached revalidates fine, and that
// entries written at build time count (a revalidation of them is not a no-op).
import { cacheLife, cacheTag } from 'next/cache';

export type Announcements = { items: string[]; generatedAt: string };

export async function getAnnouncements(): Promise<Announcements> {
  'use cache';
  cacheLife('hours');
  cacheTag('announcements');
  return {
    items: ['Release train leaves Thursday', 'On-call handover moved to 10:00'],
    generatedAt: new Date().toISOString(),
  };
}
