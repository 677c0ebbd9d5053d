// An error Next throws through one of our synchronous wrappers (revalidateTag during render, inside
// unstable_cache, cookies() inside 'use cache', …) must read as it would without cachescope: the wrapper's
// frames taken out of its stack.
import { guarded } from '../../recorder/global.js';

const FRAME = /^\s+at /;

/** The frame lines of a formatted stack (a stack is its message, then one `at …` line per frame). */
function frameLines(stack: string): { head: string[]; frames: string[] } {
  const lines = stack.split('\n');
  let first = lines.length;
  while (first > 0 && FRAME.test(lines[first - 1]!)) first--;
  return { head: lines.slice(0, first), frames: lines.slice(first) };
}

/**
 * Removes from `error.stack` the `count` frames of ours right above `wrapper`'s caller, found as the first
 * frame of a stack captured here without `wrapper` and above. Next's frames above them and whatever
 * follows (an owner stack Next appended) stay. The stack is formatted now, by the same
 * `Error.prepareStackTrace` that would have formatted it at its first read; anything unexpected leaves
 * the error as it was.
 */
export function hideOwnFrames(error: unknown, wrapper: Function, count: number): void {
  if (!(error instanceof Error) || typeof Error.captureStackTrace !== 'function') return;
  const stack = error.stack;
  if (typeof stack !== 'string') return;
  const caller = {} as { stack?: unknown };
  Error.captureStackTrace(caller, wrapper);
  if (typeof caller.stack !== 'string') return;
  const below = frameLines(caller.stack).frames;
  const { head, frames } = frameLines(stack);
  const at = below.length ? frames.indexOf(below[0]!, count) : -1;
  if (at === -1) return;
  const rest = frames.slice(at);
  let same = 0;
  while (same < rest.length && same < below.length && rest[same] === below[same]) same++;
  // The stack ended inside the caller's frames: V8's frame limit cut as many of them as we added.
  const refill = same === rest.length ? below.slice(same, same + count) : [];
  error.stack = [...head, ...frames.slice(0, at - count), ...rest, ...refill].join('\n');
}

/**
 * Calls Next's `api` for the app-facing `wrapper`, detached as the app's own import would call it (a
 * method call on the module would name Next's frame `Module.<name>`): an error Next throws reads as if
 * the app had called Next. `between`: frames of ours between this call and `wrapper`.
 */
export function callNext<A extends unknown[], T>(wrapper: Function, api: (...args: A) => T, args: A, between = 0): T {
  try {
    return api(...args);
  } catch (error) {
    // callNext, `wrapper`, and those between
    guarded('shim.frames', undefined, () => hideOwnFrames(error, wrapper, 2 + between));
    throw error;
  }
}
