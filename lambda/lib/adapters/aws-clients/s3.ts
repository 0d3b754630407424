import type { S3Client } from '@aws-sdk/client-s3';
import { clientOptions } from './timeouts.js';

let client: Promise<S3Client> | undefined;

/**
 * One per container, created on first use: only an event too large for SQS needs S3, so the
 * verifier's and consumers' cold starts do not load the S3 SDK for the common case.
 */
export function s3Client(): Promise<S3Client> {
  client ??= import('@aws-sdk/client-s3').then(({ S3Client }) => new S3Client(clientOptions));
  return client;
}
