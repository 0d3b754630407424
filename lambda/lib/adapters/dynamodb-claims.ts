import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyUnknownError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientOptions } from './aws-clients/timeouts.js';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../../contract/defaults.js';
import { ClaimFailed, ClaimInProgress } from '../domain/errors.js';
import type { Logger } from './logger.js';
import { oneAtATimePerKey, type Claims } from '../domain/claims.js';

export interface DynamoDbClaimsOptions {
  /** Whose claims these are, the prefix of every key: a consumer group, or the hooks' prefix. */
  readonly group: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  /** How long a completed claim keeps a redelivery from running again. @default 24 h */
  readonly ttlSeconds?: number;
  /** Where a retried completion write is logged (WARN). @default - not logged */
  readonly logger?: Logger;
}

/**
 * How much of the invocation a completion retry leaves untouched: one more write may still take
 * the client's every attempt at its timeouts (aws-clients/timeouts.ts), and the batch must then
 * answer before Lambda ends the invocation (a timed-out invocation fails every record).
 */
export const COMPLETION_MARGIN_MS =
  clientOptions.maxAttempts *
    (clientOptions.requestHandler.connectionTimeout + clientOptions.requestHandler.requestTimeout) +
  1_000;

const FIRST_RETRY_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 1_000;

/** Exponential, with half of it jittered so the records of a throttled batch spread out. */
function retryDelayMs(attempt: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Powertools' DynamoDB layer, whose completion write (the UpdateItem that marks a claim
 * COMPLETED, called only once `work` has succeeded) is retried with backoff while the invocation
 * has more than `COMPLETION_MARGIN_MS` left. Powertools itself gives up at the first failure and
 * the record fails, so SQS would hand it out again and the handler run twice. The claim stays
 * INPROGRESS meanwhile, so no other invocation takes the event over.
 */
class RetryingCompletionLayer extends DynamoDBPersistenceLayer {
  constructor(
    options: ConstructorParameters<typeof DynamoDBPersistenceLayer>[0],
    private readonly remainingMs: () => number,
    private readonly onRetry: (attempt: number, delayMs: number, error: unknown) => void,
  ) {
    super(options);
  }

  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await super._updateRecord(record);
        return;
      } catch (error) {
        const delayMs = retryDelayMs(attempt);
        if (this.remainingMs() - delayMs < COMPLETION_MARGIN_MS) throw error;
        this.onRetry(attempt, delayMs, error);
        await sleep(delayMs);
      }
    }
  }
}

/** What the claimed function returns; stored in the record, never read back (see responseHook). */
const RAN = 'ran';
const DUPLICATE = 'duplicate';

/**
 * Claims in the shared idempotency table through Powertools idempotency, which does exactly the
 * issue's conditional write: it puts `<group>#<hash of key>` as INPROGRESS unless a live record is
 * there, marks it COMPLETED after `work`, deletes it when `work` throws, and takes over an
 * INPROGRESS record whose invocation ran out of time (`registerLambdaContext`). The table's key is
 * `id` and its TTL attribute `expiration`, Powertools' defaults.
 *
 * Where it needed help:
 * - Powertools hashes an argument of the function it wraps, while our key is computed per record
 *   (the content key) and the work differs per record (the routed handler). So the
 *   wrapped function takes `({ key }, work)`: `eventKeyJmesPath: 'key'` hashes only the key, and
 *   `work` rides along as the second argument, never hashed.
 * - A completed record makes Powertools return the stored result instead of running the function;
 *   `responseHook` is the one place that tells us so, and it answers DUPLICATE.
 * - A persistence layer keeps the key prefix of its last call, so each group gets its own layer
 *   (one per Lambda anyway; tests build several groups in one process).
 * - A failed completion write is retried within the invocation (`RetryingCompletionLayer`).
 * - Its errors are translated into ours, so the consumer does not depend on Powertools' classes.
 * - Powertools' own switch POWERTOOLS_IDEMPOTENCY_DISABLED=true would run every delivery unclaimed;
 *   the stack never sets it.
 */
export function dynamoDbClaims(options: DynamoDbClaimsOptions): Claims {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    // Never run unclaimed: a missing key is our bug, not a reason to skip the dedupe.
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: options.ttlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS,
    hashFunction: 'sha256',
    responseHook: () => DUPLICATE,
  });
  const persistenceStore = new RetryingCompletionLayer(
    { tableName: options.tableName, awsSdkV3Client: options.client },
    // The invocation the config was last given: the one running (invocations never overlap).
    () => config.lambdaContext?.getRemainingTimeInMillis() ?? 0,
    (attempt, delayMs, error) =>
      options.logger?.warn('claim completion retried', {
        group: options.group,
        attempt,
        delay_ms: delayMs,
        error_name: error instanceof Error ? error.name : typeof error,
      }),
  );
  const claimed = makeIdempotent(
    async (_claim: { readonly key: string }, work: () => Promise<void>): Promise<string> => {
      await work();
      return RAN;
    },
    { persistenceStore, config, keyPrefix: options.group },
  );

  return oneAtATimePerKey({
    async once(key, work, context) {
      // An INPROGRESS claim expires with this invocation: a crashed or timed-out run cannot hold
      // the event for the whole TTL. Invocations of one container never overlap, so sharing the
      // config across them (and across the records of one batch) is safe.
      config.registerLambdaContext(context);
      try {
        return (await claimed({ key }, work)) === DUPLICATE ? 'duplicate' : 'ran';
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) {
          throw new ClaimInProgress(`group ${options.group} is already running this event`, {
            cause: error,
          });
        }
        if (error instanceof IdempotencyUnknownError) {
          throw new ClaimFailed(`claim store: ${error.message}`, { cause: error });
        }
        throw error;
      }
    },
  });
}
