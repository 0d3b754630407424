import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256: of the bytes given, or of a string's UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
