/** The shape of a tool's answer: text for the model, the same facts as structured content for programs. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export function answer(lines: readonly string[], structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: structured };
}

/** A tool that could not answer (no stream, refused): said in words, flagged as an error. */
export async function guardedAnswer(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }] };
  }
}
