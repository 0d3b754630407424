import { UndecodableMessage } from './errors.js';

/**
 * A queue message that carries no event but says where its body is stored: the claim check.
 * The format is the one AWS's SQS extended clients (Java, Python, ...) write and read, so their
 * consumers can take our queue messages too.
 */
export interface LargeEventPointer {
  readonly bucket: string;
  readonly key: string;
}

/** The extended clients' marker, first element of the pointer body. */
export const PAYLOAD_POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';

/** The extended clients' Number attribute: the stored body's size in bytes. */
export const EXTENDED_PAYLOAD_SIZE = 'ExtendedPayloadSize';

export function pointerBody(pointer: LargeEventPointer): string {
  return JSON.stringify([
    PAYLOAD_POINTER_CLASS,
    { s3BucketName: pointer.bucket, s3Key: pointer.key },
  ]);
}

/**
 * Whether a queue message body is a pointer (or claims to be one). A Stream body starts with `{`
 * (JSON) or a base64 character, never `[`, so the first character decides.
 */
export function isPointerBody(body: string): boolean {
  return body.trimStart().startsWith('[');
}

/**
 * The pointer in a queue message body, or null when the body is an event (`isPointerBody`); a
 * body that starts with `[` and is not a well-formed pointer is refused rather than guessed at.
 */
export function parsePointerBody(body: string): LargeEventPointer | null {
  if (!isPointerBody(body)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new UndecodableMessage('body starts with "[" but is not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== PAYLOAD_POINTER_CLASS) {
    throw new UndecodableMessage(`body is a JSON array but not a ${PAYLOAD_POINTER_CLASS}`);
  }
  const target: unknown = parsed[1];
  const bucket = field(target, 's3BucketName');
  const key = field(target, 's3Key');
  if (bucket === null || key === null) {
    throw new UndecodableMessage('large-event pointer lacks s3BucketName or s3Key');
  }
  return { bucket, key };
}

function field(value: unknown, name: string): string | null {
  // JSON gives null, an object or a primitive; a primitive has no such field.
  const found = (value as Readonly<Record<string, unknown>> | null)?.[name];
  return typeof found === 'string' && found !== '' ? found : null;
}
