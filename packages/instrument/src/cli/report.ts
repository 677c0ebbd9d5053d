/**
 * `cachescope report`: findings grouped by kind, one line per finding with its message and fix.
 * Exit 1 when findings exist (with `failOn`: only findings of those kinds count), 0 when none, 2 when the
 * snapshot cannot be had (server unreachable, bad file).
 */
import type { Finding } from '../protocol/events.js';
import { errorOf, type CliIo } from './io.js';
import { loadSnapshot } from './load-snapshot.js';

export type ReportOptions = CliIo & {
  /** Only findings of these kinds make the exit code 1. */
  failOn?: string[];
} & ({ url: string } | { /** A saved snapshot instead of the server's. */ file: string });

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };
const MARK: Record<string, string> = { error: '✗', warning: '!', info: 'i' };

export async function runReport(options: ReportOptions): Promise<number> {
  const loaded = await loadSnapshot('file' in options ? { file: options.file } : { url: options.url });
  if (!loaded.ok) {
    errorOf(options)(loaded.message);
    return 2;
  }
  const { snapshot, from } = loaded;
  const findings = snapshot.findings as Array<Partial<Finding> & { kind?: string }>;
  const write = options.write;
  const app = snapshot.app ? `app ${snapshot.app.name} (${snapshot.app.mode}), ` : '';
  const header = `cachescope report: ${app}${from}, ${snapshot.events.length} events, ${snapshot.revalidations?.length ?? 0} revalidations`;
  write(header);
  if (snapshot.dropped > 0) write(`  (${snapshot.dropped} older events left the buffer; findings still cover them)`);

  if (findings.length === 0) {
    write('No findings.');
    return 0;
  }

  const sites = new Map<number, string>();
  for (const e of snapshot.events) if ('callSite' in e && e.callSite) sites.set(e.id, e.callSite);
  const groups = new Map<string, typeof findings>();
  for (const f of findings) {
    const kind = f.kind ?? 'unknown';
    const list = groups.get(kind);
    if (list) list.push(f);
    else groups.set(kind, [f]);
  }
  const worst = (list: typeof findings) => Math.min(...list.map((f) => SEVERITY_ORDER[f.severity ?? 'warning'] ?? 1));
  const kinds = [...groups.keys()].sort((a, b) => worst(groups.get(a)!) - worst(groups.get(b)!) || a.localeCompare(b));

  write('');
  write(`${findings.length} finding${findings.length === 1 ? '' : 's'}:`);
  for (const kind of kinds) write(`  ${kind.padEnd(38)} ${groups.get(kind)!.length}`);
  for (const kind of kinds) {
    const list = groups.get(kind)!;
    write('');
    write(`${kind} (${list.length})`);
    for (const f of list) {
      const mark = MARK[f.severity ?? 'warning'] ?? '!';
      const seen = f.count && f.count > 1 ? ` (seen ${f.count}×)` : '';
      const fix = f.fix?.text ? `  Fix: ${f.fix.text}` : '';
      write(`  ${mark} ${f.message ?? '(no message)'}${seen}${fix}`);
      for (const site of evidenceSites(f, sites)) write(`      at ${site}`);
    }
  }

  if (options.failOn && options.failOn.length > 0) {
    const failing = findings.filter((f) => options.failOn!.includes(f.kind ?? ''));
    write('');
    write(
      failing.length > 0
        ? `${failing.length} finding(s) of --fail-on kinds (${options.failOn.join(', ')}).`
        : `None of the findings is of a --fail-on kind (${options.failOn.join(', ')}).`,
    );
    return failing.length > 0 ? 1 : 0;
  }
  return 1;
}

/** Where in the app's source the finding's evidence happened (revalidation calls, dynamic reads), each place once. */
function evidenceSites(f: Partial<Finding>, sites: Map<number, string>): string[] {
  const found = new Set<string>();
  for (const id of f.evidence ?? []) {
    const site = sites.get(id);
    if (site) found.add(site);
  }
  return [...found].slice(0, 5);
}
