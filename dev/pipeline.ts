import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DEFAULT_CONSUMER_GROUPS } from '../contract/consumer-groups.js';
import { CONSUMER_SERVICE, SYNC_HOOKS_SERVICE, VERIFIER_SERVICE } from '../contract/env/common.js';
import { composeConsumer } from '../lambda/consumer/compose.js';
import type { ConsumerHandler } from '../lambda/consumer/handler.js';
import { composeSyncHooks } from '../lambda/sync-hooks/compose.js';
import type { Ordering } from '../contract/env/consumer.js';
import { CredentialStore } from '../lambda/lib/domain/api-key-secrets.js';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  SQS_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_BODY_BYTES,
} from '../contract/limits.js';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_DEDUPE_TTL_SECONDS,
  SYNC_HOOK_TIMEOUT_MS,
} from '../contract/defaults.js';
import type { LargeEventStore } from '../lambda/lib/domain/large-event-store.js';
import { createLogger } from '../lambda/lib/adapters/logger.js';
import { loggedMetrics } from '../lambda/lib/adapters/metrics.js';
import { assertValidPattern } from '../contract/patterns.js';
import { assertValidGroupName } from '../contract/names.js';
import { composeVerifier } from '../lambda/verifier/compose.js';
import { DEV_API_KEY, DEV_API_SECRET } from './dev-api-key.js';
import { startFileLargeEventStore, type FileLargeEventStore } from './file-large-event-store.js';
import {
  DEFAULT_SYNC_HOOK_BUDGET_MS,
  loadSyncHookRuntime,
  type SyncHookRuntime,
} from './sync-hook-runtime.js';
import { loadDevGroups, type DevGroup } from './groups.js';
import { lambdaContext } from './lambda-context.js';
import {
  createIdempotencyTable,
  startLocalDynamoDb,
  type LocalDynamoDb,
} from './local-dynamodb.js';
import {
  createQueuePair,
  LOCAL_REGION,
  startLocalSqs,
  type LocalSqs,
  type QueuePair,
} from './local-sqs.js';
import { MAX_BATCH_SIZE, startPoller, type Poller } from './poller.js';
import { queueNameOf } from './queue-names.js';
import { startWebhookServer, type SyncHookUrls, type WebhookServer } from './webhook-server.js';

/** What the HTTP API can hand the verifier in Lambda's invoke payload: the deployed default. */
export const MAX_BODY_BYTES = DEFAULT_MAX_BODY_BYTES;

export interface DevPipelineOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The webhook's port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** The embedded SQS server's port; 0 picks a free one. @default 9324 */
  readonly sqsPort?: number;
  /** The embedded DynamoDB server's port (the claims table). @default 0, a free one */
  readonly dynamoDbPort?: number;
  /** @default 'dev-api-key' */
  readonly apiKey?: string;
  /** @default 'dev-api-secret' */
  readonly apiSecret?: string;
  /** Records per consumer invocation, 1-10, for every group. @default 10 */
  readonly batchSize?: number;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * ReceiveMessage's long-poll wait, cut to less than the visibility timeout (local-aws-sqs
   * answers a long poll only when it ends, and hands out a message again if its visibility
   * timeout ran out meanwhile). @default 1
   */
  readonly waitTimeSeconds?: number;
  /**
   * The consumer groups, each with its own queue, DLQ and consumer; the verifier fans out to
   * them. `npm run dev` passes the stack's table (dev/groups.ts).
   * @default the stack's default: group `all`, pattern `*`, the examples in lambda/handlers
   */
  readonly groups?: readonly DevGroup[];
  /** `per-entity`: FIFO queues and the FIFO batch processor, as the stack deploys them. @default 'none' */
  readonly ordering?: Ordering;
  /** Start polling at once; when false, call `startPolling()`. @default true */
  readonly startPolling?: boolean;
  /** The hook Lambda's budget for the user's code (HOOK_BUDGET_MS). @default 1000 */
  readonly hookBudgetMs?: number;
  /**
   * The user's sync hooks, served behind the `/hooks/...` routes by the hook function; false
   * serves none.
   * `npm run dev` passes the hooks of the stack's `syncHooks.entry` (dev/groups.ts).
   * @default the hooks of lambda/handlers/sync-hooks.ts, the stack's default entry
   */
  readonly hookRuntime?: SyncHookRuntime | false;
  /**
   * Where the verifier stores events too large for a queue message and the consumers read them
   * back (claim check), as S3 does when deployed.
   * @default files in a temporary directory made at start and removed by `stop()`
   */
  readonly largeEventStore?: LargeEventStore;
}

export interface DevQueue {
  readonly queueUrl: string;
  readonly dlqUrl: string;
  /** The group's event patterns: what the verifier sends it and what its consumer keeps. */
  readonly patterns: readonly string[];
}

export interface DevPipeline {
  readonly webhookUrl: string;
  /** The synchronous hooks' URLs; absent when no hook Lambda is served. */
  readonly hookUrls?: SyncHookUrls;
  readonly sqsEndpoint: string;
  readonly dynamoDbEndpoint: string;
  /** The claims table every group's consumer dedupes in. */
  readonly idempotencyTable: string;
  /** Each group's queue, by group name, in table order. */
  readonly queues: Readonly<Record<string, DevQueue>>;
  /** Starts every group's poller that is not running yet. */
  startPolling(): void;
  /**
   * Stops the webhook, then the pollers (letting the batches in hand finish), then the SQS and
   * DynamoDB servers.
   */
  stop(): Promise<void>;
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

interface RunningGroup {
  readonly group: DevGroup;
  readonly queue: QueuePair;
  readonly consumer: ConsumerHandler;
}

/**
 * The whole pipeline on this machine: the embedded SQS server with each group's queue and DLQ,
 * an embedded DynamoDB server with the claims table, the verifier behind a local `POST /webhook`
 * fanning out to every group, each group's consumer fed the way Lambda feeds it, and the sync
 * hooks. The verifier, the consumers and the hooks are built by the composition roots their
 * Lambdas use (each function's compose.ts), with local adapters in place of AWS.
 */
export async function startDevPipeline(options: DevPipelineOptions = {}): Promise<DevPipeline> {
  const host = options.host ?? '127.0.0.1';
  const port = check('port', options.port ?? 3000, 0, 65_535);
  const sqsPort = check('sqsPort', options.sqsPort ?? 9324, 0, 65_535);
  const dynamoDbPort = check('dynamoDbPort', options.dynamoDbPort ?? 0, 0, 65_535);
  const batchSize = check('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE);
  const visibility = check(
    'visibilityTimeoutSeconds',
    options.visibilityTimeoutSeconds ?? 30,
    1,
    43_200,
  );
  const maxReceiveCount = check('maxReceiveCount', options.maxReceiveCount ?? 5, 1, 1_000);
  const waitTimeSeconds = Math.min(
    check('waitTimeSeconds', options.waitTimeSeconds ?? 1, 0, 20),
    visibility - 1,
  );
  const apiKey = options.apiKey ?? DEV_API_KEY;
  const apiSecret = options.apiSecret ?? DEV_API_SECRET;
  const ordering = options.ordering ?? 'none';
  const hookBudgetMs = check(
    'hookBudgetMs',
    options.hookBudgetMs ?? DEFAULT_SYNC_HOOK_BUDGET_MS,
    1,
    5_000,
  );
  const groups = options.groups ?? (await loadDevGroups(DEFAULT_CONSUMER_GROUPS));
  checkGroups(groups);
  const hookRuntime =
    options.hookRuntime === false
      ? undefined
      : (options.hookRuntime ?? (await loadSyncHookRuntime()));

  const sqs: LocalSqs = await startLocalSqs({ port: sqsPort, host });
  let dynamo: LocalDynamoDb | undefined;
  let webhook: WebhookServer | undefined;
  let ownLargeEvents: FileLargeEventStore | undefined;
  const pollers = new Map<string, Poller>();
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await webhook?.close();
      await Promise.all([...pollers.values()].map((poller) => poller.stop()));
      await sqs.close();
      await dynamo?.close();
      await ownLargeEvents?.close();
    })());

  try {
    dynamo = await startLocalDynamoDb({ port: dynamoDbPort, host });
    const idempotencyTable = await createIdempotencyTable(dynamo.client);
    let largeEvents = options.largeEventStore;
    if (largeEvents === undefined) {
      ownLargeEvents = await startFileLargeEventStore();
      largeEvents = ownLargeEvents;
    }
    const running: RunningGroup[] = [];
    for (const group of groups) {
      const queue = await createQueuePair(sqs.client, {
        name: queueNameOf(group.name),
        visibilityTimeoutSeconds: visibility,
        maxReceiveCount,
        fifo: ordering === 'per-entity',
      });
      const consumer = composeConsumer(
        {
          group: group.name,
          patterns: group.patterns,
          ordering,
          idempotencyTable,
          dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
          maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
        },
        group.handlers,
        {
          dynamoDb: dynamo.client,
          largeEvents,
          // No EMF among dev's log lines: the totals go to one `metrics` line at debug level.
          metrics: loggedMetrics(createLogger(CONSUMER_SERVICE)),
          logger: createLogger(CONSUMER_SERVICE),
        },
      );
      running.push({ group, queue, consumer });
    }

    const credentials = new CredentialStore({
      load: async () => JSON.stringify({ [apiKey]: apiSecret }),
    });
    const verifier = composeVerifier(
      {
        routes: running.map(({ group, queue }) => ({
          group: group.name,
          patterns: group.patterns,
          queueUrl: queue.queueUrl,
          fifo: ordering === 'per-entity',
        })),
        maxBodyBytes: MAX_BODY_BYTES,
        maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
        maxQueueMessageBytes: SQS_MAX_MESSAGE_BYTES,
        maxEventAgeSeconds: null,
      },
      {
        sqs: sqs.client,
        credentials,
        largeEvents,
        metrics: loggedMetrics(createLogger(VERIFIER_SERVICE)),
        logger: createLogger(VERIFIER_SERVICE),
      },
    );
    // The hook function with the verifier's credentials and limits.
    const hookHandler =
      hookRuntime &&
      composeSyncHooks(
        {
          budgetMs: hookBudgetMs,
          maxBodyBytes: MAX_BODY_BYTES,
          maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
          idempotencyTable,
          dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
        },
        hookRuntime.hooks,
        { credentials, dynamoDb: dynamo.client, logger: createLogger(SYNC_HOOKS_SERVICE) },
      );
    // Each request its own invocation, with the deployed function's timeout to expire claims by.
    const hooks =
      hookHandler &&
      ((event: APIGatewayProxyEventV2) =>
        hookHandler(event, lambdaContext(SYNC_HOOKS_SERVICE, SYNC_HOOK_TIMEOUT_MS)));
    const startPolling = (): void => {
      for (const { group, queue, consumer } of running) {
        if (pollers.has(group.name)) continue;
        pollers.set(
          group.name,
          startPoller({
            client: sqs.client,
            queueUrl: queue.queueUrl,
            queueArn: queue.queueArn,
            region: LOCAL_REGION,
            batchSize,
            waitTimeSeconds,
            handler: consumer,
            functionName: `stream-events-consumer-${group.name}`,
            functionTimeoutMs: visibility * 1000,
            logger: createLogger('stream-events-dev'),
          }),
        );
      }
    };
    webhook = await startWebhookServer({
      host,
      port,
      verifier,
      ...(hooks === undefined ? {} : { hooks }),
      logger: createLogger('stream-events-dev'),
      maxBodyBytes: MAX_BODY_BYTES,
    });
    if (options.startPolling ?? true) startPolling();
    return {
      webhookUrl: webhook.url,
      ...(webhook.hookUrls === undefined ? {} : { hookUrls: webhook.hookUrls }),
      sqsEndpoint: sqs.endpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      idempotencyTable,
      queues: Object.fromEntries(
        running.map(({ group, queue }) => [
          group.name,
          { queueUrl: queue.queueUrl, dlqUrl: queue.dlqUrl, patterns: group.patterns },
        ]),
      ),
      startPolling,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Groups given in code get the stack's checks on names and patterns (entries are loaded already). */
function checkGroups(groups: readonly DevGroup[]): void {
  if (groups.length === 0) throw new RangeError('groups must list at least one consumer group');
  const seen = new Set<string>();
  for (const group of groups) {
    assertValidGroupName(group.name);
    if (seen.has(group.name)) throw new RangeError(`group "${group.name}" is listed twice`);
    seen.add(group.name);
    if (group.patterns.length === 0) {
      throw new RangeError(`group "${group.name}" must take at least one event pattern`);
    }
    group.patterns.forEach(assertValidPattern);
  }
}
