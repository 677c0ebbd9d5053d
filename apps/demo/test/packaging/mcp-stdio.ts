// A bare MCP client for the packaging test: the packed `cachescope mcp` spoken to as any MCP client does
// (newline-delimited JSON-RPC on stdio), without the SDK in the demo's dependencies.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface McpSession {
  // biome-ignore lint/suspicious/noExplicitAny: JSON-RPC results are untyped JSON; the test reads into them
  request(method: string, params?: unknown): Promise<any>;
  close(): void;
}

export async function openMcp(bin: string, args: string[], cwd: string): Promise<McpSession> {
  const child = spawn(bin, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; result?: unknown; error?: { message: string } };
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id!);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  });
  child.on('exit', (code) => {
    for (const p of waiting.values()) p.reject(new Error(`cachescope mcp exited ${code}: ${stderr}`));
  });
  let next = 1;
  const session: McpSession = {
    request(method, params) {
      const id = next++;
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        setTimeout(() => reject(new Error(`no answer to ${method} in 20 s: ${stderr}`)), 20_000).unref();
      });
    },
    close: () => child.kill(),
  };
  await session.request('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'packaging-test', version: '0' },
  });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return session;
}
