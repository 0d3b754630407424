#!/usr/bin/env node
// The `stream-events` bin (package.json "bin"), so `npx stream-events <command>` works in this
// repository: Node 20 cannot run TypeScript by itself, so register tsx, then load the real entry.
import { register } from 'tsx/esm/api';

register();
await import('./stream-events.ts');
