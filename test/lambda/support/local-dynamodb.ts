import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createIdempotencyTable } from '../../../dev/local-dynamodb.js';

const FAKE_CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };

/** A DynamoDB-compatible server (dynalite, in memory) on a free loopback port, and a real client. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /**
   * A new, empty table shaped as the stack creates the idempotency table: partition key `id`
   * (string), on-demand. One per test keeps the tests apart.
   */
  readonly createClaimsTable: () => Promise<string>;
  /** Every item of the table, unmarshalled. */
  readonly items: (tableName: string) => Promise<Record<string, unknown>[]>;
  readonly stop: () => Promise<void>;
}

export function dynamoDbClientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
}

export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = dynamoDbClientFor(endpoint);
  const documents = DynamoDBDocumentClient.from(client);

  return {
    endpoint,
    client,
    createClaimsTable: async () => {
      return createIdempotencyTable(client, `claims-${randomUUID()}`);
    },
    items: async (tableName) => {
      const { Items = [] } = await documents.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true }),
      );
      return Items;
    },
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
