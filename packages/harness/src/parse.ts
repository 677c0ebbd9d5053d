// Parsers for what the demo renders: dashboard blocks in HTML and in RSC (flight) payloads.

export interface Dashboard {
  testid: string;
  user: string;
  fetchNo: number;
}

const DASHBOARD_TESTID = /^dashboard(-[\w-]+)?$/;

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

/** Every element with `data-testid="dashboard…"` and a `data-fetch-no`, in document order. */
export function parseDashboards(html: string): Dashboard[] {
  const out: Dashboard[] = [];
  for (const m of html.matchAll(/<[a-zA-Z][^<>]*\sdata-testid="dashboard[^"]*"[^<>]*>/g)) {
    const attrs = attributes(m[0]);
    if (!DASHBOARD_TESTID.test(attrs['data-testid'] ?? '') || attrs['data-fetch-no'] === undefined) continue;
    out.push({ testid: attrs['data-testid'], user: attrs['data-user'] ?? '', fetchNo: Number(attrs['data-fetch-no']) });
  }
  return out;
}

/** `<form … data-action="name">…</form>` → the `$ACTION_ID_<id>` React rendered into it. */
export function findActionId(html: string, actionName: string): string | undefined {
  const escaped = actionName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const form = new RegExp(`<form\\b[^>]*\\bdata-action="${escaped}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) return undefined;
  return /name="\$ACTION_ID_([0-9a-f]+)"/.exec(form[1])?.[1];
}

/** All `data-action` names of forms on the page (for error messages). */
export function listActions(html: string): string[] {
  return [...html.matchAll(/<form\b[^>]*\bdata-action="([^"]+)"/g)].map((m) => m[1]);
}

function collectFromTree(node: unknown, out: Dashboard[]) {
  if (Array.isArray(node)) {
    for (const child of node) collectFromTree(child, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const props = node as Record<string, unknown>;
  const testid = props['data-testid'];
  if (typeof testid === 'string' && DASHBOARD_TESTID.test(testid) && props['data-fetch-no'] !== undefined) {
    out.push({ testid, user: String(props['data-user'] ?? ''), fetchNo: Number(props['data-fetch-no']) });
  }
  for (const value of Object.values(props)) collectFromTree(value, out);
}

/** Dashboard blocks inside an RSC payload (`text/x-component`, one `<id>:<json>` row per line). */
export function parseFlightDashboards(flight: string): Dashboard[] {
  const out: Dashboard[] = [];
  for (const line of flight.split('\n')) {
    const m = /^[0-9a-f]+:([[{].*)$/.exec(line);
    if (!m) continue;
    try {
      collectFromTree(JSON.parse(m[1]), out);
    } catch {
      /* not a JSON model row */
    }
  }
  return out;
}
