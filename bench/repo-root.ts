import { fileURLToPath } from 'node:url';

/**
 * The repository root. lib/node-function.ts exports the same, but importing it loads aws-cdk-lib,
 * whose heap would then sit under every per-event measurement and slow its garbage collections.
 */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
