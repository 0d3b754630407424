import { gunzipSync } from 'node:zlib';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../contract/limits.js';

export function isGzip(bytes: Uint8Array): boolean {
  // Past the end a Uint8Array reads undefined, so a short body fails the comparison itself.
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export class InflatedTooLarge extends Error {
  constructor(maxBytes: number) {
    super(`gzip body inflates past ${maxBytes} bytes`);
    this.name = 'InflatedTooLarge';
  }
}

export class CorruptGzip extends Error {
  constructor(cause: unknown) {
    super('gzip body is corrupt or truncated', { cause });
    this.name = 'CorruptGzip';
  }
}

/**
 * Inflates `bytes` when they start with the gzip magic, whatever any header claims (Stream's SDKs
 * decide the same way, so a proxy that already inflated the body does not break us). zlib stops
 * at `maxBytes` instead of allocating whatever a gzip bomb asks for.
 */
export function inflateIfGzip(bytes: Buffer, maxBytes = DEFAULT_MAX_INFLATED_BYTES): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new InflatedTooLarge(maxBytes);
    }
    throw new CorruptGzip(error);
  }
}
