/** `cachescope snapshot`: print or save the snapshot JSON. Exit 0, or 2 when it cannot be fetched / written. */
import { writeFile } from 'node:fs/promises';
import { errorOf, type CliIo } from './io.js';
import { loadSnapshot } from './load-snapshot.js';

export interface SnapshotOptions extends CliIo {
  url: string;
  out?: string;
}

export async function runSnapshot(options: SnapshotOptions): Promise<number> {
  const loaded = await loadSnapshot({ url: options.url });
  if (!loaded.ok) {
    errorOf(options)(loaded.message);
    return 2;
  }
  const json = JSON.stringify(loaded.snapshot, null, 2);
  if (!options.out) {
    options.write(json);
    return 0;
  }
  try {
    await writeFile(options.out, `${json}\n`, 'utf8');
  } catch (error) {
    errorOf(options)(`cachescope: cannot write ${options.out}: ${(error as Error).message}`);
    return 2;
  }
  const s = loaded.snapshot;
  errorOf(options)(
    `cachescope: saved ${s.events.length} events, ${s.tags?.length ?? 0} tags, ${s.findings.length} findings to ${options.out}`,
  );
  return 0;
}
