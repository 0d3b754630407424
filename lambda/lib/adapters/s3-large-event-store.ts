import type { S3Client } from '@aws-sdk/client-s3';
import { MIB } from '../../../contract/limits.js';
import { UndecodableMessage } from '../domain/errors.js';
import { largeEventKey, type LargeEventStore } from '../domain/large-event-store.js';

/**
 * The largest stored body read back: base64 of gzip of an event at the 16 MiB inflate cap is
 * below it, so only an object this pipeline did not write can be refused.
 */
export const DEFAULT_MAX_STORED_BYTES = 32 * MIB;

export interface S3LargeEventStoreOptions {
  readonly bucket: string;
  /** The container's S3 client (lambda/lib/adapters/aws-clients/s3.ts), awaited on first use. */
  readonly client: () => Promise<S3Client>;
  /** @default DEFAULT_MAX_STORED_BYTES */
  readonly maxStoredBytes?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Large queue bodies as S3 objects. Encryption (SSE-S3), TLS and expiry come from the bucket
 * (lib/large-event-bucket.ts); nothing here deletes an object, since every group's consumer
 * resolves the same one and none knows whether the others are done.
 */
export function s3LargeEventStore(options: S3LargeEventStoreOptions): LargeEventStore {
  const maxStoredBytes = options.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES;
  const now = options.now ?? (() => new Date());
  // The commands come from the same lazily loaded module as the client.
  const sdk = () => import('@aws-sdk/client-s3');
  return {
    bucket: options.bucket,
    put: async (body) => {
      const [client, { PutObjectCommand }] = await Promise.all([options.client(), sdk()]);
      const key = largeEventKey(now());
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: body,
          // Stream's SQS format: base64 text, of gzip(JSON) when that was smaller.
          ContentType: 'text/plain; charset=us-ascii',
        }),
      );
      return { bucket: options.bucket, key };
    },
    get: async (key) => {
      const [client, { GetObjectCommand }] = await Promise.all([options.client(), sdk()]);
      const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      if (object.ContentLength !== undefined && object.ContentLength > maxStoredBytes) {
        throw new UndecodableMessage(
          `stored large event is ${object.ContentLength} bytes, over ${maxStoredBytes}`,
        );
      }
      if (object.Body === undefined) throw new Error(`s3://${options.bucket}/${key} has no body`);
      return object.Body.transformToString('utf-8');
    },
  };
}
