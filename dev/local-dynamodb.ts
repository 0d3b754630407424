import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { close, listen } from './listen.js';
import { LOCAL_REGION } from './local-sqs.js';

/** The dev pipeline's claims table: the one idempotency table every group shares, as deployed. */
export const IDEMPOTENCY_TABLE = 'stream-events-idempotency';

export interface LocalDynamoDb {
  readonly endpoint: string;
  /** An SDK client pointed at the embedded server, shared by every group's claims. */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB-compatible server, in memory) in this process. Tables become ACTIVE
 * at once, so creating the claims table costs no waiting.
 */
export async function startLocalDynamoDb(options: {
  port: number;
  host: string;
}): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, options.port, options.host);
  const endpoint = `http://${options.host}:${port}`;
  const client = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await close(server);
    },
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
