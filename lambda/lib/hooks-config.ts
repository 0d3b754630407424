import { optionalSourceAllowlist, positiveInteger, requiredString } from './config.js';
import { DEFAULT_MAX_INFLATED_BYTES } from './gzip.js';
import type { SourceAllowed } from './source-ip.js';
import { DEFAULT_MAX_BODY_BYTES } from './verifier-config.js';

/** Stream waits 1.5 s by default for a synchronous hook, once: answer well inside that. */
export const DEFAULT_HOOK_BUDGET_MS = 1000;

export interface HooksConfig {
  /** ARN or name of the Secrets Manager secret: where the secrets are, never the secrets. */
  readonly secretId: string;
  /** How long the user's code may run before the hook answers fail-open. */
  readonly budgetMs: number;
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
  /** Who may call (`ALLOWED_SOURCE_CIDRS`); undefined: anyone (the signature still decides). */
  readonly sourceAllowed?: SourceAllowed;
}

/** Read and checked once, at cold start, by lambda/hooks/index.ts. */
export function loadHooksConfig(env: NodeJS.ProcessEnv = process.env): HooksConfig {
  return {
    secretId: requiredString(env, 'STREAM_SECRET_ID'),
    budgetMs: positiveInteger(env, 'HOOK_BUDGET_MS', DEFAULT_HOOK_BUDGET_MS),
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES),
    maxInflatedBytes: positiveInteger(env, 'MAX_INFLATED_BYTES', DEFAULT_MAX_INFLATED_BYTES),
    sourceAllowed: optionalSourceAllowlist(env),
  };
}
