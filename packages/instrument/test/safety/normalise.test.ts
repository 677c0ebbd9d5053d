// The differential tests compare normalised pages; the normaliser must hide timing and ids, and nothing else.
import { describe, expect, it } from 'vitest';
import { blocks, pageStructure, scrubText } from './support.js';
import { parseDashboards } from '@cachescope/harness';

const section = (user: string, no: number, time: string) =>
  `<section class="card" data-testid="dashboard" data-user="${user}" data-fetch-no="${no}"><p>for <strong>${user}</strong> · backend fetch #${no} · served ${time}</p></section>`;
const inline = (user = 'alice', no = 1, time = '14:06:56.494') =>
  `<!DOCTYPE html><html><body><header><!--$--><nav>signed in as ${user}</nav><!--/$--></header><main><!--$--><div class="x"><!--$-->${section(user, no, time)}<!--/$--></div><!--/$-->` +
  `<form data-action="refresh-mine"><input type="hidden" name="$ACTION_ID_00aa11"/><button type="submit">Refresh</button></form></main></body></html>`;
const streamed = (user = 'alice', no = 1, time = '14:06:58.423') =>
  `<!DOCTYPE html><html><body><header><!--$?--><template id="B:0"></template><span class="muted">…</span><!--/$--></header>` +
  `<main><!--$?--><template id="B:1"></template><p class="card muted">loading dashboard…</p><!--/$-->` +
  `<form data-action="refresh-mine"><input type="hidden" name="$ACTION_ID_00bb22"/><button type="submit">Refresh</button></form></main>` +
  `<div hidden id="S:1"><div class="x"><!--$?--><template id="P:2"></template><!--/$--></div></div><script>$RC("B:1","S:1")</script>` +
  `<div hidden id="S:2">${section(user, no, time)}</div><script>$RS("S:2","P:2")</script>` +
  `<div hidden id="S:0"><nav>signed in as ${user}</nav></div><script>$RC("B:0","S:0")</script></body></html>`;

describe('page normalisation for the differential tests', () => {
  it('a page streamed after its shell equals the same page rendered inline', () => {
    expect(pageStructure(streamed())).toBe(pageStructure(inline()));
    expect(pageStructure(streamed())).not.toContain('loading');
  });

  it('hides timestamps, ports and action ids', () => {
    expect(scrubText('served 14:06:56.494 at 2026-11-26T14:06:56.494Z from 127.0.0.1:4711 $ACTION_ID_00ff')).toBe(
      'served <time> at <iso> from 127.0.0.1:<port> $ACTION_ID_<id>',
    );
  });

  it('still sees a different user, fetch number, form or text', () => {
    const base = pageStructure(inline());
    expect(pageStructure(inline('bob'))).not.toBe(base);
    expect(pageStructure(inline('alice', 2))).not.toBe(base);
    expect(pageStructure(inline().replace('data-action="refresh-mine"', 'data-action="refresh-everyone"'))).not.toBe(base);
    expect(pageStructure(inline().replace('<button type="submit">Refresh</button>', ''))).not.toBe(base);
    expect(blocks(parseDashboards(streamed('alice', 3)))).toEqual(['dashboard alice #3']);
  });
});
