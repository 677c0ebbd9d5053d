'use server';
import { revalidatePath, revalidateTag, updateTag } from 'next/cache';
import { KEY_PART_TAG, NON_ASCII_TAG, REVALIDATE_0_TAG, SHORT_EXPIRE_TAG, UPDATE_TAG_CACHED } from '@/lib/traps/data';

export async function updateKeyPartTag() {
  updateTag(KEY_PART_TAG); // matches nothing: the "tag" is a key part
}

export async function updateCachedBlock() {
  updateTag(UPDATE_TAG_CACHED);
}

export async function updateUnrelatedTag() {
  updateTag('trap:not-on-this-page'); // the page re-renders anyway
}

export async function updateNonAsciiTag() {
  updateTag(NON_ASCII_TAG);
}

export async function updateShortExpireTag() {
  updateTag(SHORT_EXPIRE_TAG);
}

export async function revalidateRevalidate0Tag() {
  revalidateTag(REVALIDATE_0_TAG, 'max'); // nothing carries it: the fetch was never stored
}

export async function revalidatePostsPattern() {
  revalidatePath('/traps/posts/[slug]'); // a route pattern without 'page': does nothing
}
