'use client';
import { CacheScope as DevOnly } from '@cachescope/overlay';
import { CacheScope as Always } from '@cachescope/overlay/production';

export const Overlay = process.env.CACHESCOPE_OVERLAY === 'always' ? Always : DevOnly;
