import { readSyncHooksEnv, type SyncHooksEnvSettings } from '../../../contract/env/sync-hooks.js';
import type { Env } from '../../../contract/env/parse.js';
import type { SourceAllowed } from '../domain/source-ip.js';
import { sourceAllowlistFrom } from './source-allowlist.js';

/** The hook function's settings as it runs with them: the allowlist a matcher. */
export interface SyncHooksConfig extends Omit<SyncHooksEnvSettings, 'allowedSourceCidrs'> {
  /** Who may call; undefined: anyone (the signature still decides). */
  readonly sourceAllowed?: SourceAllowed;
}

/** The checked settings, as the hook function runs with them. */
export function syncHooksConfigFrom(settings: SyncHooksEnvSettings): SyncHooksConfig {
  const { allowedSourceCidrs, ...rest } = settings;
  return { ...rest, sourceAllowed: sourceAllowlistFrom(allowedSourceCidrs) };
}

/**
 * Read and checked once per container, at the first invocation (lambda/sync-hooks/lambda.ts;
 * contract/env/sync-hooks.ts names the variables).
 */
export function loadSyncHooksConfig(env: Env = process.env): SyncHooksConfig {
  return syncHooksConfigFrom(readSyncHooksEnv(env));
}
