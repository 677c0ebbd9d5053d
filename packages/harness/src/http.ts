// HTTP helpers: GET a page as a user, and invoke a Server Action the way the Next client router does.
import { findActionId, listActions, parseDashboards, parseFlightDashboards, type Dashboard } from './parse';

export interface PageResult {
  status: number;
  html: string;
  headers: Headers;
  dashboards: Dashboard[];
}

export async function getPage(baseUrl: string, path: string, cookie?: string, timeoutMs = 60_000): Promise<PageResult> {
  const res = await fetch(new URL(path, baseUrl), {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const html = await res.text(); // the whole stream: cacheComponents streams data in later chunks
  return { status: res.status, html, headers: res.headers, dashboards: parseDashboards(html) };
}

export interface ActionResult {
  actionId: string;
  status: number;
  headers: Headers;
  /** `x-action-revalidated` response header, if any. */
  revalidated: string | null;
  body: string;
  /** Dashboard blocks re-rendered into the action's RSC response (empty if it did not re-render). */
  dashboards: Dashboard[];
}

/** Resolves `actionName` (the form's `data-action`) to its server action id by rendering the page. */
export async function resolveActionId(baseUrl: string, path: string, actionName: string, cookie?: string) {
  const page = await getPage(baseUrl, path, cookie);
  const id = findActionId(page.html, actionName);
  if (!id) {
    throw new Error(
      `no $ACTION_ID_ in <form data-action="${actionName}"> on ${path} (status ${page.status}; forms: ${listActions(page.html).join(', ') || 'none'})`,
    );
  }
  return id;
}

/** POSTs `body` to `path` and reads the answer as an action's; `dashboardsOf` parses its body (RSC or HTML). */
async function postActionRequest(
  baseUrl: string,
  path: string,
  actionId: string,
  init: { headers: Record<string, string>; body: BodyInit },
  dashboardsOf: (body: string) => Dashboard[],
  cookie: string | undefined,
  timeoutMs: number,
): Promise<ActionResult> {
  const res = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { ...init.headers, Origin: baseUrl, ...(cookie ? { Cookie: cookie } : {}) },
    body: init.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.text();
  return {
    actionId,
    status: res.status,
    headers: res.headers,
    revalidated: res.headers.get('x-action-revalidated'),
    body,
    dashboards: dashboardsOf(body),
  };
}

/** POSTs an action by id: `Next-Action` header, body `[]` (no arguments). */
export async function postActionById(
  baseUrl: string,
  path: string,
  actionId: string,
  cookie?: string,
  timeoutMs = 60_000,
): Promise<ActionResult> {
  const headers = { 'Next-Action': actionId, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' };
  return postActionRequest(baseUrl, path, actionId, { headers, body: '[]' }, parseFlightDashboards, cookie, timeoutMs);
}

/**
 * Submits an action's form the way a browser without JavaScript does (progressive enhancement): a
 * plain multipart POST of the form's fields, `$ACTION_ID_<id>` among them, no `Next-Action` header.
 * Next runs the action and answers the whole page as HTML.
 */
export async function postFormById(
  baseUrl: string,
  path: string,
  actionId: string,
  cookie?: string,
  timeoutMs = 60_000,
): Promise<ActionResult> {
  const form = new FormData();
  form.append(`$ACTION_ID_${actionId}`, '');
  // multipart/form-data with a boundary (fetch sets the header), as the browser sends it
  return postActionRequest(baseUrl, path, actionId, { headers: { Accept: 'text/html' }, body: form }, parseDashboards, cookie, timeoutMs);
}

/**
 * GET `path` to find the form with `data-action="<actionName>"`, then POST its server action.
 * Note: the GET itself renders the page (and may hit the backend); use `resolveActionId` once
 * and `postActionById` when the exact hit count around the action matters.
 */
export async function postAction(baseUrl: string, path: string, actionName: string, cookie?: string): Promise<ActionResult> {
  const id = await resolveActionId(baseUrl, path, actionName, cookie);
  return postActionById(baseUrl, path, id, cookie);
}
