/** The overlay's CSS, injected as a <style> inside its shadow root (nothing leaks in or out). */
export const OVERLAY_CSS = `
:host { all: initial; }
.cs-root {
  --cs-bg: #ffffff; --cs-fg: #1b1f24; --cs-muted: #5b6470; --cs-border: #d8dde3; --cs-alt: #f4f6f8;
  --cs-accent: #2563eb; --cs-accent-fg: #ffffff; --cs-focus: #2563eb; --cs-highlight: #fff4c2;
  --cs-hit-bg: #dcfce7; --cs-hit-fg: #166534; --cs-stale-bg: #fef3c7; --cs-stale-fg: #92400e;
  --cs-miss-bg: #dbeafe; --cs-miss-fg: #1e40af; --cs-skip-bg: #e5e7eb; --cs-skip-fg: #374151;
  --cs-dedup-bg: #ede9fe; --cs-dedup-fg: #5b21b6; --cs-danger-bg: #fee2e2; --cs-danger-fg: #b91c1c;
  --cs-danger: #dc2626; --cs-warn-bg: #ffedd5; --cs-warn-fg: #9a3412;
  font: 12px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--cs-fg);
}
.cs-root[data-theme="dark"] {
  --cs-bg: #15181c; --cs-fg: #e6e9ee; --cs-muted: #98a1ac; --cs-border: #2d333b; --cs-alt: #1c2127;
  --cs-accent: #60a5fa; --cs-accent-fg: #0b1220; --cs-focus: #93c5fd; --cs-highlight: #3b3413;
  --cs-hit-bg: #14532d; --cs-hit-fg: #bbf7d0; --cs-stale-bg: #713f12; --cs-stale-fg: #fde68a;
  --cs-miss-bg: #1e3a8a; --cs-miss-fg: #bfdbfe; --cs-skip-bg: #374151; --cs-skip-fg: #e5e7eb;
  --cs-dedup-bg: #4c1d95; --cs-dedup-fg: #ddd6fe; --cs-danger-bg: #7f1d1d; --cs-danger-fg: #fecaca;
  --cs-danger: #f87171; --cs-warn-bg: #7c2d12; --cs-warn-fg: #fed7aa;
}
.cs-root *, .cs-root *::before, .cs-root *::after { box-sizing: border-box; }
.cs-root button, .cs-root input, .cs-root select { font: inherit; color: inherit; }
.cs-root :focus-visible { outline: 2px solid var(--cs-focus); outline-offset: 1px; }
.cs-root code, .cs-mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
.cs-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }

.cs-toggle {
  position: fixed; z-index: 2147483647; display: inline-flex; align-items: center; gap: 6px;
  padding: 6px 10px; border-radius: 999px; border: 1px solid var(--cs-border); background: var(--cs-bg);
  color: var(--cs-fg); box-shadow: 0 2px 10px rgba(0,0,0,.18); cursor: pointer; font-weight: 600;
}
.cs-toggle:hover { border-color: var(--cs-accent); }
.cs-count { min-width: 18px; padding: 0 6px; border-radius: 999px; background: var(--cs-alt); border: 1px solid var(--cs-border); font-size: 11px; text-align: center; }
.cs-count-danger { background: var(--cs-danger); border-color: var(--cs-danger); color: #fff; }

.cs-panel {
  position: fixed; left: 0; right: 0; z-index: 2147483646; display: flex; flex-direction: column;
  background: var(--cs-bg); color: var(--cs-fg); border: 0 solid var(--cs-border); box-shadow: 0 0 18px rgba(0,0,0,.2);
}
.cs-panel[data-dock="bottom"] { bottom: 0; border-top-width: 1px; }
.cs-panel[data-dock="top"] { top: 0; border-bottom-width: 1px; flex-direction: column-reverse; }
.cs-panel[data-layout="window"] { top: 0; bottom: 0; box-shadow: none; }
.cs-panel-inner { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.cs-resize { flex: 0 0 6px; cursor: ns-resize; background: transparent; touch-action: none; }
.cs-resize:hover, .cs-resize:focus-visible { background: var(--cs-accent); }

.cs-header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 4px 8px; border-bottom: 1px solid var(--cs-border); background: var(--cs-alt); }
.cs-tabs { display: flex; gap: 2px; }
.cs-tab { border: 1px solid transparent; background: none; padding: 4px 10px; border-radius: 6px; cursor: pointer; }
.cs-tab[aria-selected="true"] { background: var(--cs-bg); border-color: var(--cs-border); font-weight: 600; }
.cs-tab .cs-count { margin-left: 6px; }
.cs-toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-left: auto; }
.cs-input, .cs-select { border: 1px solid var(--cs-border); background: var(--cs-bg); border-radius: 6px; padding: 3px 6px; }
.cs-input { width: 200px; }
.cs-btn { border: 1px solid var(--cs-border); background: var(--cs-bg); border-radius: 6px; padding: 3px 8px; cursor: pointer; }
.cs-btn:hover { border-color: var(--cs-accent); }
.cs-actions { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 4px 0 8px; }
.cs-btn[aria-pressed="true"] { background: var(--cs-accent); color: var(--cs-accent-fg); border-color: var(--cs-accent); }
.cs-btn:disabled { opacity: .5; cursor: default; }
.cs-link { border: none; background: none; padding: 0; color: var(--cs-accent); cursor: pointer; text-align: left; text-decoration: underline; }
.cs-link:disabled { color: var(--cs-muted); text-decoration: none; cursor: default; }

.cs-banner { display: flex; gap: 8px; align-items: center; padding: 4px 10px; border-bottom: 1px solid var(--cs-border); }
.cs-banner-file { background: var(--cs-miss-bg); color: var(--cs-miss-fg); }
.cs-banner-paused { background: var(--cs-stale-bg); color: var(--cs-stale-fg); }
.cs-banner-error { background: var(--cs-danger-bg); color: var(--cs-danger-fg); }
.cs-banner-problems { background: var(--cs-danger-bg); color: var(--cs-danger-fg); align-items: flex-start; }
.cs-problems { flex: 1; min-width: 0; }
.cs-problems ul { margin: 0; padding: 0; list-style: none; }
.cs-problems li { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

.cs-facets { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 4px 8px; border-bottom: 1px solid var(--cs-border); max-height: 76px; overflow: auto; }
.cs-facet { display: flex; flex-wrap: wrap; gap: 3px; align-items: center; }
.cs-facet-name { color: var(--cs-muted); margin-right: 2px; }
.cs-chip { border: 1px solid var(--cs-border); background: var(--cs-bg); border-radius: 999px; padding: 0 7px; cursor: pointer; white-space: nowrap; }
.cs-chip[aria-pressed="true"] { background: var(--cs-accent); color: var(--cs-accent-fg); border-color: var(--cs-accent); }
.cs-chip-count { opacity: .75; margin-left: 4px; }

.cs-body { flex: 1; min-height: 0; display: flex; overflow: hidden; }
.cs-scroll { flex: 1; min-width: 0; overflow: auto; }
.cs-vlist { flex: 1; min-width: 0; overflow: auto; position: relative; }
.cs-vrow { position: absolute; left: 0; right: 0; }
.cs-row { display: flex; align-items: center; gap: 8px; width: 100%; height: 100%; padding: 0 10px; border: none; border-bottom: 1px solid var(--cs-alt); background: none; text-align: left; cursor: pointer; white-space: nowrap; overflow: hidden; }
.cs-row:hover { background: var(--cs-alt); }
.cs-row[aria-current="true"] { background: var(--cs-alt); box-shadow: inset 3px 0 0 var(--cs-accent); }
.cs-row-request { background: var(--cs-alt); font-weight: 600; cursor: default; }
.cs-row-call { padding-left: 24px; }
.cs-row-dynamic { padding-left: 24px; color: var(--cs-muted); cursor: default; }
.cs-highlight, .cs-row.cs-highlight { background: var(--cs-highlight) !important; }
.cs-kind { color: var(--cs-muted); min-width: 92px; }
.cs-label { font-weight: 500; max-width: 32%; overflow: hidden; text-overflow: ellipsis; }
.cs-reason { color: var(--cs-muted); flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.cs-tags { display: inline-flex; gap: 4px; overflow: hidden; max-width: 30%; }
.cs-tag { padding: 0 5px; border-radius: 4px; background: var(--cs-alt); border: 1px solid var(--cs-border); font-family: ui-monospace, Menlo, monospace; font-size: 11px; }
.cs-tag-dropped { text-decoration: line-through; color: var(--cs-danger-fg); background: var(--cs-danger-bg); border-color: transparent; }
.cs-duration { color: var(--cs-muted); margin-left: auto; min-width: 56px; text-align: right; font-variant-numeric: tabular-nums; }
.cs-muted { color: var(--cs-muted); }

.cs-badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 10.5px; font-weight: 700; letter-spacing: .02em; white-space: nowrap; }
.cs-badge-hit { background: var(--cs-hit-bg); color: var(--cs-hit-fg); }
.cs-badge-stale { background: var(--cs-stale-bg); color: var(--cs-stale-fg); }
.cs-badge-miss { background: var(--cs-miss-bg); color: var(--cs-miss-fg); }
.cs-badge-skip { background: var(--cs-skip-bg); color: var(--cs-skip-fg); }
.cs-badge-deduped { background: var(--cs-dedup-bg); color: var(--cs-dedup-fg); }
.cs-badge-danger { background: var(--cs-danger-bg); color: var(--cs-danger-fg); }
.cs-badge-warn { background: var(--cs-warn-bg); color: var(--cs-warn-fg); }
.cs-badge-ok { background: var(--cs-hit-bg); color: var(--cs-hit-fg); }
.cs-badge-info { background: var(--cs-alt); color: var(--cs-muted); border: 1px solid var(--cs-border); }

.cs-detail { flex: 0 0 40%; max-width: 560px; min-width: 260px; overflow: auto; border-left: 1px solid var(--cs-border); padding: 8px 12px; }
.cs-detail h3, .cs-card h3 { margin: 0 0 6px; font-size: 13px; }
.cs-dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0; }
.cs-dl dt { color: var(--cs-muted); }
.cs-dl dd { margin: 0; overflow-wrap: anywhere; }

.cs-table { width: 100%; border-collapse: collapse; }
.cs-table th, .cs-table td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--cs-alt); vertical-align: top; }
.cs-table th { position: sticky; top: 0; background: var(--cs-bg); color: var(--cs-muted); font-weight: 600; }
.cs-table tr[aria-selected="true"] td { background: var(--cs-alt); }

.cs-cards { list-style: none; margin: 0; padding: 8px; display: flex; flex-direction: column; gap: 8px; }
.cs-card { border: 1px solid var(--cs-border); border-radius: 8px; padding: 8px 10px; }
.cs-card-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.cs-card p { margin: 6px 0; }
.cs-fix { border-left: 3px solid var(--cs-accent); padding: 4px 8px; background: var(--cs-alt); margin: 6px 0; }
.cs-evidence { display: flex; flex-direction: column; gap: 2px; margin: 4px 0; padding-left: 16px; }

.cs-status { display: flex; flex-wrap: wrap; gap: 12px; padding: 3px 10px; border-top: 1px solid var(--cs-border); color: var(--cs-muted); background: var(--cs-alt); }
.cs-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; background: var(--cs-muted); }
.cs-dot[data-status="open"] { background: #16a34a; }
.cs-dot[data-status="error"], .cs-dot[data-status="reconnecting"] { background: var(--cs-danger); }
.cs-empty { padding: 16px; color: var(--cs-muted); }
`;
