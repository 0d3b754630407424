import { optionalSourceAllowlist, positiveInteger, requiredString } from './env.js';
import { DEFAULT_DEDUPE_TTL_SECONDS, DEFAULT_HOOK_BUDGET_MS } from '../../../contract/defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_BODY_BYTES } from '../../../contract/limits.js';
import type { SourceAllowed } from '../domain/source-ip.js';

/**
 * The key prefix of the hook function's claims (pending-message callbacks) in the table the
 * consumers share: `:` is outside the group-name alphabet, so no group's claims can meet them.
 */
export const HOOK_CLAIMS_PREFIX = 'hook:pending-messages';

export interface HooksConfig {
  /** ARN or name of the Secrets Manager secret: where the secrets are, never the secrets. */
  readonly secretId: string;
  /** How long the user's code may run before the hook answers fail-open. */
  readonly budgetMs: number;
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
  /** The claims table (shared with the consumers) where pending-message callbacks claim. */
  readonly idempotencyTable: string;
  /** How long a callback's claim keeps a replay from running it again. */
  readonly dedupeTtlSeconds: number;
  /** Who may call (`ALLOWED_SOURCE_CIDRS`); undefined: anyone (the signature still decides). */
  readonly sourceAllowed?: SourceAllowed;
}

/**
 * Read and checked once, at cold start, by lambda/hooks/index.ts. The table has no default: a
 * hook function that cannot claim would run a replayed pending-message callback again.
 */
export function loadHooksConfig(env: NodeJS.ProcessEnv = process.env): HooksConfig {
  return {
    secretId: requiredString(env, 'STREAM_SECRET_ID'),
    budgetMs: positiveInteger(env, 'HOOK_BUDGET_MS', DEFAULT_HOOK_BUDGET_MS),
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES),
    maxInflatedBytes: positiveInteger(env, 'MAX_INFLATED_BYTES', DEFAULT_MAX_INFLATED_BYTES),
    idempotencyTable: requiredString(env, 'IDEMPOTENCY_TABLE'),
    dedupeTtlSeconds: positiveInteger(env, 'DEDUPE_TTL_SECONDS', DEFAULT_DEDUPE_TTL_SECONDS),
    sourceAllowed: optionalSourceAllowlist(env),
  };
}
