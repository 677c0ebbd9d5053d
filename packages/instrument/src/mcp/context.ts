/** What every tool gets: the app's stream (found lazily, found again when it moves) and a way to act on it. */
import type { Snapshot } from '../protocol/events.js';
import { findAppStream, postToStream, readSnapshot, type FindOptions, type PostResult } from '../cli/stream-access.js';

export interface ToolContext {
  snapshot(): Promise<Snapshot>;
  post(path: string, body?: unknown): Promise<PostResult>;
  /** The stream's URL (finding it if needed). */
  streamUrl(): Promise<string>;
}

export function createToolContext(find: FindOptions): ToolContext {
  let url: string | undefined;
  const locate = async (): Promise<string> => {
    url ??= (await findAppStream(find)).url;
    return url;
  };
  // A stream that stopped answering may have restarted on another port: look again once.
  const retrying = async <T>(run: (base: string) => Promise<T>): Promise<T> => {
    const first = await locate();
    try {
      return await run(first);
    } catch (error) {
      if (find.url) throw error;
      url = undefined;
      const again = await locate();
      if (again === first) throw error;
      return run(again);
    }
  };
  return {
    snapshot: () => retrying(readSnapshot),
    post: (path, body) => retrying((base) => postToStream(base, path, body)),
    streamUrl: locate,
  };
}
