import { HOOK_BUDGET_MS } from '../contract/env/sync-hooks.js';
import { DEV_API_KEY, DEV_API_SECRET } from './dev-api-key.js';
import { DEFAULT_SYNC_HOOK_BUDGET_MS } from './sync-hook-runtime.js';
import type { DevPipelineOptions } from './pipeline.js';

/** `npm run dev`'s settings, read from the environment of the shell that runs it. */
export interface DevConfig {
  readonly options: DevPipelineOptions & { readonly apiKey: string; readonly apiSecret: string };
  /** True when the secret came from STREAM_API_SECRET: it is then never printed. */
  readonly secretFromEnv: boolean;
}

export class DevConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new DevConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function devConfigFrom(env: Env): DevConfig {
  const secret = env.STREAM_API_SECRET || undefined;
  return {
    options: {
      port: integer(env, 'PORT', 3000, 0, 65_535),
      sqsPort: integer(env, 'SQS_PORT', 9324, 0, 65_535),
      dynamoDbPort: integer(env, 'DYNAMODB_PORT', 0, 0, 65_535),
      batchSize: integer(env, 'BATCH_SIZE', 10, 1, 10),
      visibilityTimeoutSeconds: integer(env, 'VISIBILITY_TIMEOUT', 30, 1, 43_200),
      maxReceiveCount: integer(env, 'MAX_RECEIVE_COUNT', 5, 1, 1_000),
      // Only when set: the pipeline's own default (1,000 ms) otherwise. The deployed function's
      // variable, so one name sets the budget in both places.
      ...(env[HOOK_BUDGET_MS]
        ? { hookBudgetMs: integer(env, HOOK_BUDGET_MS, DEFAULT_SYNC_HOOK_BUDGET_MS, 1, 5_000) }
        : {}),
      apiKey: env.STREAM_API_KEY || DEV_API_KEY,
      apiSecret: secret ?? DEV_API_SECRET,
    },
    secretFromEnv: secret !== undefined,
  };
}
