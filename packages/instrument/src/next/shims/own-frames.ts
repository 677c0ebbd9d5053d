// An error Next throws through one of our synchronous wrappers (revalidateTag during render, inside
// unstable_cache, …) must read as it would without cachescope: the wrapper's frames taken out of its stack.

const FRAME = /^\s+at /;

/** The frame lines of a formatted stack (a stack is its message, then one `at …` line per frame). */
function frameLines(stack: string): { head: string[]; frames: string[] } {
  const lines = stack.split('\n');
  let first = lines.length;
  while (first > 0 && FRAME.test(lines[first - 1]!)) first--;
  return { head: lines.slice(0, first), frames: lines.slice(first) };
}

/**
 * Removes from `error.stack` the `count` frames of ours that sit right above `wrapper`'s caller: the frames
 * below them are those of a stack captured here without `wrapper` and above; the frames above them
 * (Next's own) stay. The stack is formatted now, by the same `Error.prepareStackTrace` that would have
 * formatted it at its first read; anything unexpected leaves the error as it was.
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
  // Without our frames, V8's frame limit would have kept that many more of the caller's.
  const limit = typeof Error.stackTraceLimit === 'number' ? Error.stackTraceLimit : Infinity;
  error.stack = [...head, ...[...frames.slice(0, at - count), ...below].slice(0, limit)].join('\n');
}
