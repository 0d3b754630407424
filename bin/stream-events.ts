#!/usr/bin/env node
/**
 * The `stream-events` CLI: `npx stream-events <command> [args]` (through bin/stream-events.js),
 * `npx tsx bin/stream-events.ts <command>`, or `npm run send`. Commands live in cli/; this file
 * only hands them the process's arguments, streams and environment.
 */
import { processCommandIO, runCli } from '../cli/index.js';

// The SDK warns on every run that its releases after January 2027 need Node 22. Node 20 is what
// these machines run (Lambda runs nodejs22.x); in a CLI the warning is noise around the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2), processCommandIO(process));
