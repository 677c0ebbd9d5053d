'use server';
import { updateTag } from 'next/cache';
import { ARGS_TAG } from './data';

export async function updateArgsTag() {
  updateTag(ARGS_TAG);
}
