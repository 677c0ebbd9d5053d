/**
 * `cachescope mcp`: an MCP server over stdio for coding agents. It answers from the app's own stream (found
 * from the working directory as the CLI does) with the analysis' findings, tags, revalidations and calls.
 * stdout carries the protocol: nothing else may be written there.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { FindOptions } from '../cli/stream-access.js';
import { packageVersion } from '../stream/version.js';
import { createToolContext, type ToolContext } from './context.js';
import { registerCallsTool } from './tools/calls.js';
import { registerFindingsTool } from './tools/findings.js';
import { registerInvalidateTools } from './tools/invalidate.js';
import { registerRevalidationsTool } from './tools/revalidations.js';
import { registerTagTool } from './tools/tag.js';

const INSTRUCTIONS =
  'cachescope shows what the Next.js 16 data cache really did in this app (next dev, or next start with CACHESCOPE_ENABLED=1): every fetch, ' +
  "unstable_cache and 'use cache' call's decision, tags attached and dropped, and every revalidation with the entries it matched. Start with " +
  "`findings`; explain a tag with `tag`; see a route's calls with `calls`. Next's own /_next/mcp covers errors, logs and routes; this covers the cache.";

export function createMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer({ name: 'cachescope', version: packageVersion() }, { instructions: INSTRUCTIONS });
  registerFindingsTool(server, ctx);
  registerTagTool(server, ctx);
  registerRevalidationsTool(server, ctx);
  registerCallsTool(server, ctx);
  registerInvalidateTools(server, ctx);
  return server;
}

/** Serve on stdin/stdout until the client closes them. */
export async function runMcpServer(find: FindOptions): Promise<number> {
  const server = createMcpServer(createToolContext(find));
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.close().catch(() => {});
  return 0;
}
