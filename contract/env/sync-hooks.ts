/**
 * The sync hooks function's environment: lib/sync-hooks.ts writes it,
 * lambda/lib/config/sync-hooks-config.ts reads it at the first invocation. A test round-trips it
 * (test/contract/env/sync-hooks.test.ts).
 */
import { DEFAULT_DEDUPE_TTL_SECONDS, DEFAULT_SYNC_HOOK_BUDGET_MS } from '../defaults.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_INFLATED_BYTES } from '../limits.js';
import {
  ALLOWED_SOURCE_CIDRS,
  DEDUPE_TTL_SECONDS,
  SYNC_HOOKS_SERVICE,
  IDEMPOTENCY_TABLE,
  MAX_BODY_BYTES,
  MAX_INFLATED_BYTES,
  POWERTOOLS_LOG_LEVEL,
  POWERTOOLS_SERVICE_NAME,
  STREAM_SECRET_ID,
  powertoolsEnv,
  readSourceCidrs,
  sourceCidrsEnv,
} from './common.js';
import { type Env, positiveInteger, requiredString } from './parse.js';

/** How long the user's code may run, in ms, before the hook answers on its own (fail-open). */
export const HOOK_BUDGET_MS = 'HOOK_BUDGET_MS';

/** Every variable the hook function's environment may hold (besides NODE_OPTIONS). */
export const SYNC_HOOKS_ENV_NAMES = [
  HOOK_BUDGET_MS,
  MAX_BODY_BYTES,
  MAX_INFLATED_BYTES,
  POWERTOOLS_SERVICE_NAME,
  POWERTOOLS_LOG_LEVEL,
  STREAM_SECRET_ID,
  IDEMPOTENCY_TABLE,
  DEDUPE_TTL_SECONDS,
  ALLOWED_SOURCE_CIDRS,
] as const;

export interface SyncHooksEnvSettings {
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
  /** Who may call (IPv4/IPv6 CIDRs); null: anyone (the signature still decides). */
  readonly allowedSourceCidrs: readonly string[] | null;
}

/** The hook function's variables for `settings`; no allowlist, no variable. */
export function syncHooksEnv(settings: SyncHooksEnvSettings): Record<string, string> {
  return {
    [HOOK_BUDGET_MS]: String(settings.budgetMs),
    [MAX_BODY_BYTES]: String(settings.maxBodyBytes),
    [MAX_INFLATED_BYTES]: String(settings.maxInflatedBytes),
    ...powertoolsEnv(SYNC_HOOKS_SERVICE),
    [STREAM_SECRET_ID]: settings.secretId,
    [IDEMPOTENCY_TABLE]: settings.idempotencyTable,
    [DEDUPE_TTL_SECONDS]: String(settings.dedupeTtlSeconds),
    ...(settings.allowedSourceCidrs === null ? {} : sourceCidrsEnv(settings.allowedSourceCidrs)),
  };
}

/**
 * Read and checked once per container, at the first invocation. The table has no default: a hook
 * function that cannot claim would run a replayed pending-message callback again.
 */
export function readSyncHooksEnv(env: Env): SyncHooksEnvSettings {
  return {
    secretId: requiredString(env, STREAM_SECRET_ID),
    budgetMs: positiveInteger(env, HOOK_BUDGET_MS, DEFAULT_SYNC_HOOK_BUDGET_MS),
    maxBodyBytes: positiveInteger(env, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
    maxInflatedBytes: positiveInteger(env, MAX_INFLATED_BYTES, DEFAULT_MAX_INFLATED_BYTES),
    idempotencyTable: requiredString(env, IDEMPOTENCY_TABLE),
    dedupeTtlSeconds: positiveInteger(env, DEDUPE_TTL_SECONDS, DEFAULT_DEDUPE_TTL_SECONDS),
    allowedSourceCidrs: readSourceCidrs(env),
  };
}
