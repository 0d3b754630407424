import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION } from './local-sqs.js';
import { startServerThread } from './server-thread.js';

/** The dev pipeline's claims table: the one idempotency table every group shares, as deployed. */
export const IDEMPOTENCY_TABLE = 'stream-events-idempotency';

export interface LocalDynamoDb {
  readonly endpoint: string;
  /** An SDK client pointed at the embedded server, shared by every group's claims. */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB-compatible server, in memory) on its own thread
 * (dev/local-dynamodb-worker.mjs), as DynamoDB is its own service in AWS: its work on every claim
 * then no longer shares the event loop with the webhook, the verifier and the consumers. Tables
 * become ACTIVE at once, so creating the claims table costs no waiting. A port already in use
 * rejects, as `listen` does.
 */
export async function startLocalDynamoDb(options: {
  port: number;
  host: string;
}): Promise<LocalDynamoDb> {
  const server = await startServerThread(
    new URL('./local-dynamodb-worker.mjs', import.meta.url),
    {
      port: options.port,
      host: options.host,
      options: { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    },
    'embedded DynamoDB server',
  );
  const endpoint = `http://${options.host}:${server.port}`;
  const client = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close: () =>
      (closed ??= (async () => {
        client.destroy();
        await server.close();
      })()),
  };
}

/**
 * The idempotency table as lib/idempotency-table.ts deploys it, through the real DynamoDB API:
 * partition key `id` (string), on-demand. (Its TTL on `expiration` only deletes old claims;
 * Powertools checks a claim's expiry itself, so the dev table does without.) Resolves once ACTIVE.
 */
export async function createIdempotencyTable(
  client: DynamoDBClient,
  tableName: string = IDEMPOTENCY_TABLE,
): Promise<string> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return tableName;
    await sleep(10);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
