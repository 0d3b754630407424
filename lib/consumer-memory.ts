import { LAMBDA_INVOKE_PAYLOAD_BYTES, MIB, SQS_MAX_MESSAGE_BYTES } from '../contract/limits.js';

/**
 * A consumer at rest: Lambda's Node.js runtime, the bundle, its SQS and DynamoDB clients and the
 * S3 client it loads for its first large event. The verifier's smaller bundle idles at 47 MB RSS
 * in `npm run bench`; Lambda's runtime client and the clients come on top.
 */
const BASE_MB = 96;

/**
 * Peak memory per byte of the one event being decoded: the inflated buffer, the string decoded
 * from it and the parsed objects live at once. Measured 4.2 for an event of one long ASCII
 * text, 5.3 for non-Latin-1 text (a two-byte string) and 5.5 for many small objects, at 16 MiB
 * (RSS growth over a JSON.parse of gunzip output, Node 20); rounded up.
 */
const PARSE_FACTOR = 6;

/** The batch's invoke payload as text, and the records parsed out of it, side by side. */
const BATCH_FACTOR = 2;

export interface ConsumerMemoryNeed {
  /** Below this (MB) one event of maxInflatedBytes and the batch do not even fit as bytes. */
  readonly leastMb: number;
  /** What a batch holding one event of maxInflatedBytes may need at its peak, in MB. */
  readonly estimateMb: number;
}

/**
 * What a consumer's memory must hold for a batch with one event inflated to `maxInflatedBytes`,
 * decoded one event at a time. A batch's records arrive in one invoke payload, so they never
 * take more than Lambda's 6 MB limit, whatever `batchSize` says.
 */
export function consumerMemoryNeed(limits: {
  readonly batchSize: number;
  readonly maxInflatedBytes: number;
}): ConsumerMemoryNeed {
  const batchBytes = Math.min(
    limits.batchSize * SQS_MAX_MESSAGE_BYTES,
    LAMBDA_INVOKE_PAYLOAD_BYTES,
  );
  const mb = (bytes: number): number => Math.ceil(BASE_MB + bytes / MIB);
  return {
    leastMb: mb(limits.maxInflatedBytes + batchBytes),
    estimateMb: mb(PARSE_FACTOR * limits.maxInflatedBytes + BATCH_FACTOR * batchBytes),
  };
}
