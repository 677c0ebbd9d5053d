import { describe, expect, it } from 'vitest';
import { callText } from '../../../src/protocol/call-text.js';

describe('callText', () => {
  it('writes a call as code, every recorded argument quoted', () => {
    expect(callText('revalidatePath', ['/', 'layout'])).toBe('revalidatePath("/", "layout")');
    expect(callText('revalidateTag', ['a', '{"expire":0}'])).toBe('revalidateTag("a", "{\\"expire\\":0}")');
    expect(callText('updateTag', ["it's \\ odd"])).toBe('updateTag("it\'s \\\\ odd")');
    expect(callText('refresh', [])).toBe('refresh()');
  });
});
