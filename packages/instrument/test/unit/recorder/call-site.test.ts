import { afterEach, describe, expect, it } from 'vitest';
import { callSite } from '../../../src/hooks/shims/call-site.js';
import { callSiteOf } from '../../../src/recorder/inputs.js';

function wrapper(): Error {
  return callSite(wrapper);
}
function appCode(): Error {
  return wrapper();
}

describe('callSiteOf', () => {
  const original = Error.prepareStackTrace;
  afterEach(() => {
    Error.prepareStackTrace = original;
  });

  it("names the app's frame, above the wrapper", () => {
    const site = callSiteOf(appCode());
    expect(site).toMatch(/^appCode \(.*call-site\.test\.ts:\d+:\d+\)$/);
  });

  it("formats without the host's prepareStackTrace and leaves it installed", () => {
    let hostCalls = 0;
    const host = (_e: Error, frames: NodeJS.CallSite[]) => {
      hostCalls++;
      return `host formatted ${frames.length}`;
    };
    Error.prepareStackTrace = host;
    const site = callSiteOf(appCode());
    expect(site).toMatch(/^appCode \(/);
    expect(hostCalls).toBe(0);
    expect(Error.prepareStackTrace).toBe(host);
  });

  it('takes the first frame of a stack other code already formatted', () => {
    const error = appCode();
    void error.stack; // formatted by the default formatter now
    expect(callSiteOf(error)).toMatch(/^appCode \(/);
    expect(callSiteOf(undefined)).toBeUndefined();
  });
});
