#!/usr/bin/env node
// CLI entry: `BACKEND_PORT=4100 node packages/harness/backend/server.mjs`, or the demo's
// `backend` script (port 0 or unset picks a free port).
import { startBackend } from './backend.mjs';

const backend = await startBackend({ port: Number(process.env.BACKEND_PORT ?? 0) });
process.stdout.write(`backend listening on ${backend.url}\n`);
const stop = () => backend.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
