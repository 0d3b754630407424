import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Client } from '../../../../lambda/lib/adapters/aws-clients/s3.js';
import { UndecodableMessage } from '../../../../lambda/lib/domain/errors.js';
import { s3LargeEventStore } from '../../../../lambda/lib/adapters/s3-large-event-store.js';

const BUCKET = 'stream-events-large';
const s3 = mockClient(S3Client);
const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

function store(maxStoredBytes?: number) {
  return s3LargeEventStore({
    bucket: BUCKET,
    client: async () => client,
    now: () => new Date('2026-11-23T13:45:00.000Z'),
    ...(maxStoredBytes === undefined ? {} : { maxStoredBytes }),
  });
}

/** A GetObject body as the SDK returns it: read once, as text. */
function objectBody(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}

beforeEach(() => {
  s3.reset();
});

afterEach(() => {
  s3.reset();
});

describe('s3LargeEventStore.put', () => {
  it('writes the body once, under events/<date>/<uuid>, as text, and points at it', async () => {
    // Arrange
    s3.on(PutObjectCommand).resolves({});

    // Act
    const pointer = await store().put('H4sIAAAAAAAAA+1Y');

    // Assert
    expect(pointer.bucket).toBe(BUCKET);
    expect(pointer.key).toMatch(/^events\/2026\/11\/23\/[0-9a-f]{8}-[0-9a-f-]{27}$/);
    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: pointer.key,
      Body: 'H4sIAAAAAAAAA+1Y',
      ContentType: 'text/plain; charset=us-ascii',
    });
  });

  it('gives every event its own key', async () => {
    s3.on(PutObjectCommand).resolves({});
    const [first, second] = await Promise.all([store().put('a'), store().put('a')]);
    expect(first.key).not.toBe(second.key);
  });

  it('rejects with the S3 error, so the verifier answers 503', async () => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: {} }),
    );
    await expect(store().put('a')).rejects.toMatchObject({ name: 'SlowDown' });
  });
});

describe('s3LargeEventStore.get', () => {
  const KEY = 'events/2026/11/23/0f8fad5b-d9cb-469f-a165-70867728950e';

  it('reads the object of its own bucket as text', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: KEY }).resolves({
      Body: objectBody('stored'),
      ContentLength: 6,
    });

    // Act
    const body = await store().get(KEY);

    // Assert
    expect(body).toBe('stored');
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: KEY,
    });
  });

  it('refuses an object larger than it could have written, without reading it', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody('x'.repeat(11)), ContentLength: 11 });
    await expect(store(10).get(KEY)).rejects.toThrow(UndecodableMessage);
  });

  it('rejects with the S3 error, so the record is retried', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: {} }),
    );
    await expect(store().get(KEY)).rejects.toMatchObject({ name: 'InternalError' });
  });
});

describe('s3Client', () => {
  it('is one client per container, loaded on first use', async () => {
    const [first, second] = await Promise.all([s3Client(), s3Client()]);
    expect(first).toBeInstanceOf(S3Client);
    expect(second).toBe(first);
  });
});
