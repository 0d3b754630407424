import { UndecodableMessage } from './errors.js';
import { inflateIfGzip } from './gzip.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../contract/limits.js';
import { eventShapeProblem, parseJson, type StreamEvent } from './stream-event.js';

function decodeStrictBase64(text: string): Buffer {
  // Stream's SDKs accept only the strict alphabet; Node's decoder would also take the URL-safe one.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new UndecodableMessage('body is neither JSON nor canonical base64');
  }
  const bytes = Buffer.from(text, 'base64');
  // Missing or extra padding, and characters Node's decoder skipped, change the length. Lengths,
  // not strings, are compared, as the SDKs do: the unused low bits of the last character may be
  // set and still decode to the same bytes.
  if (bytes.toString('base64').length !== text.length) {
    throw new UndecodableMessage('body is neither JSON nor canonical base64');
  }
  return bytes;
}

function parseOrThrow(bytes: Buffer): unknown {
  try {
    return parseJson(bytes);
  } catch {
    throw new UndecodableMessage('event is not valid JSON');
  }
}

/**
 * The `Message` of a real SNS notification, or null when `object` is anything else. `stream-chat`'s
 * `parseSns` opens any object with a string `Message`; we also ask for `Type: "Notification"` and
 * no string `type`, so an event's own top-level `Message` field stays data and cannot swap the
 * event for another (Stream's Go and Python `parseSqs` never open an SQS body at all).
 */
function snsMessage(object: Readonly<Record<string, unknown>>): string | null {
  const { Type, type, Message } = object;
  if (Type !== 'Notification' || typeof type === 'string') return null;
  return typeof Message === 'string' ? Message : null;
}

/** The parsed JSON and the bytes it was parsed from. */
interface DecodedJson {
  readonly value: unknown;
  readonly bytes: Buffer;
}

function decodeInner(text: string, maxInflatedBytes: number, allowEnvelope: boolean): DecodedJson {
  const trimmed = text.replace(/^[\s\uFEFF]+/, '');
  // `{` is outside the base64 alphabet, so a body starting with it can only be JSON.
  if (trimmed.startsWith('{')) {
    const bytes = Buffer.from(trimmed);
    const json = parseOrThrow(bytes);
    // Text that starts with `{` and parses is a JSON object.
    const message = allowEnvelope ? snsMessage(json as Record<string, unknown>) : null;
    return message === null
      ? { value: json, bytes }
      : decodeInner(message, maxInflatedBytes, false);
  }
  const decoded = decodeStrictBase64(text);
  let bytes: Buffer;
  try {
    bytes = inflateIfGzip(decoded, maxInflatedBytes);
  } catch (error) {
    // Its only refusals, CorruptGzip and InflatedTooLarge, are both the message's fault.
    throw new UndecodableMessage((error as Error).message);
  }
  return { value: parseOrThrow(bytes), bytes };
}

/** A queue message as the consumer needs it. */
export interface DecodedMessage {
  readonly event: StreamEvent;
  /**
   * The event JSON bytes as Stream signed them: after base64 and gzip are undone and an SNS
   * envelope is opened, so one event has the same bytes (and SHA-256) whichever way it came.
   * Raw JSON (no bytes of its own in an SQS string) is its UTF-8 from the first `{`.
   */
  readonly bytes: Buffer;
}

/**
 * Turns a queue message body back into the event Stream sent, whichever way it travelled: raw JSON,
 * base64(JSON), base64(gzip(JSON)), or any of those inside an SNS envelope
 * (`{"Type":"Notification","Message":"..."}`). Agrees with `stream-chat`'s `parseSqs`/`parseSns` on
 * everything they accept except an object with a `Message` that is not a real SNS notification
 * (see `snsMessage`), and also takes raw JSON, which Stream's Go/Python/PHP/Ruby SDKs expect. Then
 * the same event check as the webhook path: a JSON object with a non-empty string `type`.
 */
export function decodeQueueMessage(
  body: string,
  maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES,
): DecodedMessage {
  const { value, bytes } = decodeInner(body, maxInflatedBytes, true);
  const problem = eventShapeProblem(value);
  if (problem !== null) {
    throw new UndecodableMessage(
      problem === 'not_an_object' ? 'event is not a JSON object' : 'event has no string "type"',
    );
  }
  return { event: value as StreamEvent, bytes };
}
