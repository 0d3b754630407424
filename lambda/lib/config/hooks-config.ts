import { readHooksEnv, type HooksSettings } from '../../../contract/env/hooks.js';
import type { Env } from '../../../contract/env/parse.js';
import type { SourceAllowed } from '../domain/source-ip.js';
import { sourceAllowlistFrom } from './source-allowlist.js';

/** The hook function's settings as it runs with them: the allowlist a matcher. */
export interface HooksConfig extends Omit<HooksSettings, 'allowedSourceCidrs'> {
  /** Who may call; undefined: anyone (the signature still decides). */
  readonly sourceAllowed?: SourceAllowed;
}

/** The checked settings, as the hook function runs with them. */
export function hooksConfigFrom(settings: HooksSettings): HooksConfig {
  const { allowedSourceCidrs, ...rest } = settings;
  return { ...rest, sourceAllowed: sourceAllowlistFrom(allowedSourceCidrs) };
}

/**
 * Read and checked once per container, at the first invocation (lambda/hooks/lambda.ts;
 * contract/env/hooks.ts names the variables).
 */
export function loadHooksConfig(env: Env = process.env): HooksConfig {
  return hooksConfigFrom(readHooksEnv(env));
}
