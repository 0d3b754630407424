import { dynamoDbClient } from '../lib/adapters/aws-clients/dynamodb.js';
import { secretsManagerClient } from '../lib/adapters/aws-clients/secrets-manager.js';
import { createLogger } from '../lib/adapters/logger.js';
import { secretsManagerCredentials } from '../lib/adapters/secrets-manager-source.js';
import { loadSyncHooksConfig } from '../lib/config/sync-hooks-config.js';
import type { SyncHooks } from '../lib/domain/sync-hooks.js';
import { SYNC_HOOKS_SERVICE } from '../../contract/env/common.js';
import { composeSyncHooks } from './compose.js';
import type { SyncHookHandler } from './handler.js';

/**
 * The Lambda handler of the sync hooks. Their entry is the user's hooks file (`syncHooks.entry`),
 * which ends with `export const handler = syncHooksHandler(hooks);` beside `export const hooks`,
 * as a consumer group's entry ends with `consumerHandler(handlers)`.
 *
 * The configuration (STREAM_SECRET_ID, HOOK_BUDGET_MS, MAX_BODY_BYTES, MAX_INFLATED_BYTES,
 * IDEMPOTENCY_TABLE, DEDUPE_TTL_SECONDS, ALLOWED_SOURCE_CIDRS) is read and checked once per
 * container, at the first invocation rather than at import: `npm run dev` and the tests import
 * the same file for its `hooks`, where none of that environment exists. The first invocation
 * pays for reading a few variables (no network call); a wrong environment fails that invocation,
 * and every one after it, with a ConfigError naming the variable.
 */
export function syncHooksHandler(hooks: SyncHooks): SyncHookHandler {
  let configured: SyncHookHandler | undefined;
  return async (event, context) => {
    configured ??= fromEnvironment(hooks);
    return configured(event, context);
  };
}

function fromEnvironment(hooks: SyncHooks): SyncHookHandler {
  const config = loadSyncHooksConfig();
  return composeSyncHooks(config, hooks, {
    credentials: secretsManagerCredentials(secretsManagerClient, config.secretId),
    dynamoDb: dynamoDbClient,
    logger: createLogger(SYNC_HOOKS_SERVICE),
  });
}
