// The harness parsers, against fragments captured from the demo under `next start`.
import { describe, expect, it } from 'vitest';
import { asUser, findActionId, freshSession, listActions, parseDashboards, parseFlightDashboards } from '@cachescope/harness';

const HTML =
  '<div hidden id="S:1"><div class="blocks"><section class="card" data-testid="dashboard" data-user="alice" data-fetch-no="1"><h3>Dashboard</h3></section>' +
  '<section class="card" data-testid="dashboard-summary" data-user="alice" data-fetch-no="1"></section></div></div>' +
  '<section data-testid="backend-counters"></section>' +
  '<div class="actions"><form data-action="refresh-mine" action="" encType="multipart/form-data" method="POST"><input type="hidden" name="$ACTION_ID_00d5726750025adc1f2499f3345c7f9bc26b918250"/><button type="submit">Refresh mine</button></form>' +
  '<form data-action="refresh-everyone" action="" encType="multipart/form-data" method="POST"><input type="hidden" name="$ACTION_ID_00032a"/><button type="submit">Refresh everyone&#x27;s</button></form></div>' +
  '<script>self.__next_f.push([1,"{\\"data-testid\\":\\"dashboard\\",\\"data-user\\":\\"bob\\",\\"data-fetch-no\\":9}"])</script>';

const FLIGHT = [
  '0:{"a":"$@1","q":"","i":false,"b":"UlLUnZLTOvMdhzDhlPv5a"}',
  '6:["$","nav",null,{"className":"switcher","children":[["$","span",null,{"data-testid":"current-user","children":"signed in as alice"}]]}]',
  'd:["$","div",null,{"className":"blocks","children":[["$","section","dashboard",{"className":"card","data-testid":"dashboard","data-user":"alice","data-fetch-no":3,"children":[]}],["$","section","dashboard-summary",{"data-testid":"dashboard-summary","data-user":"alice","data-fetch-no":3}]]}]',
  '7:I["123",["/_next/static/chunks/x.js"],"default"]',
].join('\n');

describe('harness parsers', () => {
  it('reads dashboard blocks from HTML start tags only (not from the inlined RSC payload)', () => {
    expect(parseDashboards(HTML)).toEqual([
      { testid: 'dashboard', user: 'alice', fetchNo: 1 },
      { testid: 'dashboard-summary', user: 'alice', fetchNo: 1 },
    ]);
  });

  it('finds the $ACTION_ID_ inside the form with the given data-action', () => {
    expect(findActionId(HTML, 'refresh-mine')).toBe('00d5726750025adc1f2499f3345c7f9bc26b918250');
    expect(findActionId(HTML, 'refresh-everyone')).toBe('00032a');
    expect(findActionId(HTML, 'update-mine')).toBeUndefined();
    expect(listActions(HTML)).toEqual(['refresh-mine', 'refresh-everyone']);
  });

  it('reads dashboard blocks from an action RSC response', () => {
    expect(parseFlightDashboards(FLIGHT)).toEqual([
      { testid: 'dashboard', user: 'alice', fetchNo: 3 },
      { testid: 'dashboard-summary', user: 'alice', fetchNo: 3 },
    ]);
    expect(parseFlightDashboards('0:{"a":"$@1"}\n1:"$undefined"')).toEqual([]);
  });

  it('gives stable per-user sessions and fresh ones on demand', () => {
    expect(asUser('alice')).toMatch(/^session=alice\.[0-9a-f]{16}$/);
    expect(asUser('alice')).toBe(asUser('alice'));
    expect(asUser('bob')).not.toBe(asUser('alice'));
    expect(freshSession('alice')).not.toBe(asUser('alice'));
  });
});
