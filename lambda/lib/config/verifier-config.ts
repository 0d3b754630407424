import type { Env } from '../../../contract/env/parse.js';
import { readVerifierEnv, type VerifierSettings } from '../../../contract/env/verifier.js';
import type { SourceAllowed } from '../domain/source-ip.js';
import { sourceAllowlistFrom } from './source-allowlist.js';

/** The verifier's settings as it runs with them: the allowlist a matcher. */
export interface VerifierConfig extends Omit<VerifierSettings, 'allowedSourceCidrs'> {
  /** Who may call; undefined: anyone (the signature still decides). */
  readonly sourceAllowed?: SourceAllowed;
}

/** The checked settings, as the verifier runs with them. */
export function verifierConfigFrom(settings: VerifierSettings): VerifierConfig {
  const { allowedSourceCidrs, ...rest } = settings;
  return { ...rest, sourceAllowed: sourceAllowlistFrom(allowedSourceCidrs) };
}

/** Read and checked once, at cold start (contract/env/verifier.ts names the variables). */
export function loadVerifierConfig(env: Env = process.env): VerifierConfig {
  return verifierConfigFrom(readVerifierEnv(env));
}
