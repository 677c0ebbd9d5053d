// How a hook watches a call of the app settle without touching what the app awaits.
import { guarded } from '../recorder/global.js';

/**
 * `result`, with `onSettled` run when it settles: the app gets this chained promise, which fulfils with
 * the same value and rejects with the very error, from the same chain. A side branch
 * (`result.then(…); return result`) would give `result` a second reaction, and V8's async stack walk stops
 * at a promise with more than one: the app's error would lose its `at async <caller>` frames.
 */
export function observeSettled<T>(
  where: string,
  result: Promise<T>,
  onSettled: (outcome: { value?: T; failed?: string }) => void,
): Promise<T> {
  return result.then(
    (value) => {
      guarded(where, undefined, () => onSettled({ value }));
      return value;
    },
    (error: unknown) => {
      // `Name: message` of the rejection the app receives (raw; redacted at flush).
      guarded(where, undefined, () => onSettled({ failed: error instanceof Error ? `${error.name}: ${error.message}` : 'rejected' }));
      throw error;
    },
  );
}
