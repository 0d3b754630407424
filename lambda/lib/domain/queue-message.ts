import { gzipSync } from 'node:zlib';

/**
 * SQS bills each 64 KiB of a message as one request, so a body that fits one chunk is sent as is
 * and a larger one is gzipped when that makes it smaller.
 */
export const GZIP_ABOVE_BYTES = 64 * 1024;

export interface QueueBody {
  /** Stream's own SQS format: base64 of the event JSON, or of gzip(JSON). */
  readonly body: string;
  readonly gzipped: boolean;
}

/**
 * Encodes the exact event bytes in Stream's SQS format, so one decoder serves Stream's direct
 * SQS and SNS deliveries and ours. Returns null when even the gzipped form exceeds `maxBytes`.
 */
export function encodeQueueBody(eventBytes: Buffer, maxBytes: number): QueueBody | null {
  const best = smallestQueueBody(eventBytes, Math.min(maxBytes, GZIP_ABOVE_BYTES));
  return best.body.length <= maxBytes ? best : null;
}

/**
 * The event in Stream's SQS format with no size limit: base64 as is up to `plainUpTo`
 * characters, past that base64 of gzip when it is shorter.
 */
export function smallestQueueBody(eventBytes: Buffer, plainUpTo = GZIP_ABOVE_BYTES): QueueBody {
  const plain = eventBytes.toString('base64');
  if (plain.length <= plainUpTo) return { body: plain, gzipped: false };
  const zipped = gzipSync(eventBytes).toString('base64');
  return zipped.length < plain.length
    ? { body: zipped, gzipped: true }
    : { body: plain, gzipped: false };
}
