/**
 * A call site in the app's source (`fn (app/x/actions.ts:12:5)`), opened in the editor on click the way
 * Next's dev overlay does: its `/__nextjs_launch-editor` endpoint (Next 16.5: `file`, `line1`,
 * `column1`, a path relative to the project). Where that endpoint is not there (next start, the
 * standalone window), a `vscode://file/…` link built from the app's directory.
 */
import type { MouseEvent } from 'react';
import type { SourceSite } from '../store/types.js';
import { useOverlayState } from './context.js';

export function launchEditorUrl(site: SourceSite): string {
  const q = new URLSearchParams({ file: site.file ?? '', line1: String(site.line ?? 1), column1: String(site.column ?? 1) });
  return `/__nextjs_launch-editor?${q}`;
}

export function editorLinkUrl(site: SourceSite, appDir: string | undefined): string | undefined {
  if (!appDir || !site.file) return undefined;
  const path = `${appDir.replace(/[\\/]+$/, '')}/${site.file}`.replace(/\\/g, '/');
  return `vscode://file${path.startsWith('/') ? '' : '/'}${encodeURI(path)}:${site.line ?? 1}:${site.column ?? 1}`;
}

/** The call site's text; a link to the source when it resolved to the app's source. */
export function SourceLink({ site, text }: { site?: SourceSite; text?: string }) {
  const app = useOverlayState((s) => s.connection.app);
  if (!site?.file || site.unresolved) {
    if (!text) return null;
    return (
      <>
        <code>{text}</code>
        {site?.unresolved ? <span className="cs-muted"> ({site.unresolved})</span> : null}
      </>
    );
  }
  const shown = text || `${site.file}:${site.line}:${site.column}`;
  const fallback = editorLinkUrl(site, app?.dir);
  const open = (event: MouseEvent) => {
    if (app?.mode !== 'dev' && fallback) return; // the vscode:// link itself
    event.preventDefault();
    fetch(launchEditorUrl(site))
      .then((res) => {
        if (!res.ok && fallback) window.location.href = fallback;
      })
      .catch(() => {
        if (fallback) window.location.href = fallback;
      });
  };
  return (
    <a
      className="cs-link cs-mono"
      href={fallback ?? launchEditorUrl(site)}
      onClick={open}
      title={`Open ${site.file}:${site.line} in the editor`}
      data-testid="cachescope-source-link"
      data-file={site.file}
      data-line={site.line}
    >
      {shown}
    </a>
  );
}
