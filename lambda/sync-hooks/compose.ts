import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClaims } from '../lib/adapters/dynamodb-claims.js';
import { type SyncHooksConfig } from '../lib/config/sync-hooks-config.js';
import { SYNC_HOOK_CLAIMS_PREFIX } from '../../contract/names.js';
import type { CredentialSource } from '../lib/domain/delivery.js';
import type { Logger } from '../lib/domain/logger.js';
import type { SyncHooks } from '../lib/domain/sync-hooks.js';
import { createSyncHookHandler, type SyncHookHandler } from './handler.js';

/**
 * The sync hooks' settings: their environment as the reader checks it, less the secret's name
 * that only the Lambda turns into credentials.
 */
export type SyncHooksSettings = Omit<SyncHooksConfig, 'secretId'>;

/** What differs between the Lambda and `npm run dev` and the tests. */
export interface SyncHooksAdapters {
  /** The Stream API keys and secrets (Secrets Manager, or fixed ones in dev). */
  readonly credentials: CredentialSource;
  /** Where the claims table is (DynamoDB, or the embedded server in dev). */
  readonly dynamoDb: DynamoDBClient;
  readonly logger: Logger;
}

/**
 * The sync hooks' one composition root: settings, the user's hooks and the adapters in, the
 * handler out. Their Lambda (syncHooksHandler), `npm run dev` and the tests all build the hook
 * function here, with pending-message callbacks claimed under the hooks' own key prefix.
 */
export function composeSyncHooks(
  settings: SyncHooksSettings,
  hooks: SyncHooks,
  adapters: SyncHooksAdapters,
): SyncHookHandler {
  return createSyncHookHandler({
    logger: adapters.logger,
    credentials: adapters.credentials,
    limits: { maxBodyBytes: settings.maxBodyBytes, maxInflatedBytes: settings.maxInflatedBytes },
    hooks,
    budgetMs: settings.budgetMs,
    sourceAllowed: settings.sourceAllowed,
    claims: dynamoDbClaims({
      group: SYNC_HOOK_CLAIMS_PREFIX,
      tableName: settings.idempotencyTable,
      client: adapters.dynamoDb,
      ttlSeconds: settings.dedupeTtlSeconds,
      logger: adapters.logger,
    }),
  });
}
