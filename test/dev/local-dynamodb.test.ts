import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdempotencyTable,
  IDEMPOTENCY_TABLE,
  startLocalDynamoDb,
  type LocalDynamoDb,
} from '../../dev/local-dynamodb.js';

const HOST = '127.0.0.1';

/** A claim as Powertools writes one: only if no claim for the key exists yet. */
const claim = (key: string) =>
  new PutItemCommand({
    TableName: IDEMPOTENCY_TABLE,
    Item: { id: { S: key }, status: { S: 'INPROGRESS' } },
    ConditionExpression: 'attribute_not_exists(id)',
  });

describe('the embedded DynamoDB server on its own thread', () => {
  let dynamo: LocalDynamoDb;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb({ port: 0, host: HOST });
  });

  afterAll(async () => {
    await dynamo?.close();
  });

  it('serves the claims table, ACTIVE at once, with conditional writes', async () => {
    await expect(createIdempotencyTable(dynamo.client)).resolves.toBe(IDEMPOTENCY_TABLE);
    const { Table } = await dynamo.client.send(
      new DescribeTableCommand({ TableName: IDEMPOTENCY_TABLE }),
    );
    expect(Table?.TableStatus).toBe('ACTIVE');

    await dynamo.client.send(claim('all#evt-1'));
    await expect(dynamo.client.send(claim('all#evt-1'))).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
  });

  it('rejects a port already in use with EADDRINUSE, as listen does', async () => {
    const port = Number(new URL(dynamo.endpoint).port);
    await expect(startLocalDynamoDb({ port, host: HOST })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});

describe('closing the embedded DynamoDB server', () => {
  it('stops serving, and a second close resolves too', async () => {
    const dynamo = await startLocalDynamoDb({ port: 0, host: HOST });
    const { port } = new URL(dynamo.endpoint);

    await dynamo.close();
    await dynamo.close();

    await expect(fetch(dynamo.endpoint, { method: 'POST' })).rejects.toThrow();
    // The port is free again: a new server can take it.
    const again = await startLocalDynamoDb({ port: Number(port), host: HOST });
    await again.close();
  });

  it('leaves dynalite off the main thread and nothing keeping the process alive', async () => {
    const module = new URL('../../dev/local-dynamodb.ts', import.meta.url).href;
    // Exits on its own once closed; the unref'd timer only reports a process that would not.
    const script = `
      import { createRequire } from 'node:module';
      import { createIdempotencyTable, startLocalDynamoDb } from ${JSON.stringify(module)};
      setTimeout(() => { console.log('still alive'); process.exit(3); }, 10_000).unref();
      const dynamo = await startLocalDynamoDb({ port: 0, host: '127.0.0.1' });
      await createIdempotencyTable(dynamo.client);
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(loaded.some((path) => path.includes('/node_modules/dynalite/')) ? 'dynalite on main' : 'ok');
      await dynamo.close();
    `;
    const dir = await mkdtemp(join(tmpdir(), 'local-dynamodb-'));
    const file = join(dir, 'start-and-close.mjs');
    await writeFile(file, script);
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await rm(dir, { recursive: true, force: true });

    expect({ code, stdout: stdout.trim() }, stderr).toEqual({ code: 0, stdout: 'ok' });
  }, 30_000);
});
