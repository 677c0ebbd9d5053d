// <CacheScope />: nothing on the server or in the first client render, a shadow root after mount, a live
// feed to the stream server, and the production gate of the default entry.
import { act, cleanup, render } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CacheScope } from '../src/CacheScope.js';
import { makeEvents } from './support/events.js';
import { TestStreamServer } from './support/sse-server.js';
import { waitFor } from './support/wait.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.resetModules();
  localStorage.clear();
  for (const el of document.querySelectorAll('[data-cachescope]')) el.remove();
});

const host = () => document.querySelector<HTMLElement>('[data-cachescope]');
const offline = () =>
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.reject(new TypeError('fetch failed'))),
  );

function Page() {
  return (
    <main>
      <h1>app</h1>
      <CacheScope streamUrl="http://127.0.0.1:1" />
    </main>
  );
}

describe('<CacheScope />', () => {
  it('renders nothing on the server', () => {
    expect(renderToString(<CacheScope />)).toBe('');
    expect(renderToString(<Page />)).toBe('<main><h1>app</h1></main>');
  });

  it('hydrates without mismatch, then mounts into a shadow root with its own styles', async () => {
    offline();
    const container = document.createElement('div');
    container.innerHTML = renderToString(<Page />);
    document.body.appendChild(container);
    const recoverable = vi.fn();
    const root = await act(async () => hydrateRoot(container, <Page />, { onRecoverableError: recoverable }));
    expect(recoverable).not.toHaveBeenCalled();
    expect(container.innerHTML).toBe('<main><h1>app</h1></main>');
    const shadow = host()!.shadowRoot!;
    expect(shadow.querySelector('style')!.textContent).toContain('.cs-toggle');
    expect(shadow.querySelector('button')!.getAttribute('aria-label')).toBe('Open cachescope');
    expect(document.body.querySelector('.cs-toggle')).toBeNull(); // not in the light DOM
    await act(async () => root.unmount());
    expect(host()).toBeNull();
    container.remove();
  });

  it('opens with initialIsOpen and uses the position prop', async () => {
    offline();
    render(<CacheScope initialIsOpen position="top-left" theme="light" streamUrl="http://127.0.0.1:1" />);
    await waitFor(() => host()?.shadowRoot?.querySelector('[role="tablist"]'));
    const root = host()!.shadowRoot!.querySelector<HTMLElement>('.cs-root')!;
    expect(root.dataset.position).toBe('top-left');
    expect(root.dataset.theme).toBe('light');
  });

  it('"Open in a window" opens the stream server\'s standalone page in a new window', async () => {
    offline();
    const open = vi.fn((..._args: unknown[]) => null);
    vi.stubGlobal('open', open);
    render(<CacheScope initialIsOpen streamUrl="http://127.0.0.1:7399/" />);
    const button = await waitFor(() =>
      host()?.shadowRoot?.querySelector<HTMLButtonElement>('.cs-toolbar button[aria-label="Open in a window"]'),
    );
    await act(async () => button.click());
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0]![0]).toBe('http://127.0.0.1:7399/');
    expect(open.mock.calls[0]![2]).toMatch(/noopener/);
  });

  it('streams events from the stream server into the panel', async () => {
    const server = await new TestStreamServer().start();
    try {
      server.record(makeEvents(1, 8));
      render(<CacheScope initialIsOpen streamUrl={server.url} />);
      const shadow = await waitFor(() => host()?.shadowRoot);
      await waitFor(() => shadow.querySelectorAll('[data-testid="cachescope-call-row"]').length > 0, 5000);
      await waitFor(() => server.clientCount === 1, 5000);
      server.push(makeEvents(9, 8));
      await waitFor(() => shadow.querySelector('[data-event-id="16"]'), 5000);
      expect(shadow.querySelector('[data-testid="cachescope-status"]')!.textContent).toContain('live');
    } finally {
      cleanup(); // unmount: the feed stops and aborts its requests
      await waitFor(() => server.clientCount === 0);
      await new Promise((r) => setTimeout(r, 50));
      await server.close();
    }
  });
});

describe('entries', () => {
  it('the default entry renders nothing when NODE_ENV is production', async () => {
    offline();
    vi.stubEnv('NODE_ENV', 'production');
    const { CacheScope: Gated } = await import('../src/index.js');
    const { container } = render(<Gated initialIsOpen />);
    await act(async () => undefined);
    expect(container.innerHTML).toBe('');
    expect(host()).toBeNull();
  });

  it('the production entry renders on purpose', async () => {
    offline();
    vi.stubEnv('NODE_ENV', 'production');
    const { CacheScope: Always } = await import('../src/production.js');
    render(<Always streamUrl="http://127.0.0.1:1" />);
    await waitFor(() => host()?.shadowRoot?.querySelector('button'));
  });

  it('the default entry renders in development', async () => {
    offline();
    vi.stubEnv('NODE_ENV', 'development');
    const { CacheScope: Dev } = await import('../src/index.js');
    render(<Dev streamUrl="http://127.0.0.1:1" />);
    await waitFor(() => host()?.shadowRoot?.querySelector('button'));
  });
});
