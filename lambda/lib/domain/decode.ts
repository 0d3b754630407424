import { UndecodableMessage } from './errors.js';
import {
  CorruptGzip,
  DEFAULT_MAX_INFLATED_BYTES,
  InflatedTooLarge,
  inflateIfGzip,
} from './gzip.js';
import { eventShapeProblem, parseJson, type StreamEvent } from './stream-event.js';

function decodeStrictBase64(text: string): Buffer {
  // Stream's SDKs accept only the strict alphabet, padded; Node's decoder would silently skip junk.
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new UndecodableMessage('body is neither JSON nor canonical base64');
  }
  const bytes = Buffer.from(text, 'base64');
  // Lengths, not strings, are compared, as the SDKs do: the unused low bits of the last
  // character may be set and still decode to the same bytes.
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
 * The `Message` of a real SNS notification, or null when `json` is anything else. `stream-chat`'s
 * `parseSns` opens any object with a string `Message`; we also ask for `Type: "Notification"` and
 * no string `type`, so an event's own top-level `Message` field stays data and cannot swap the
 * event for another (Stream's Go and Python `parseSqs` never open an SQS body at all).
 */
function snsMessage(json: unknown): string | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const { Type, type, Message } = json as Record<string, unknown>;
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
    const bytes = Buffer.from(trimmed, 'utf8');
    const json = parseOrThrow(bytes);
    const message = allowEnvelope ? snsMessage(json) : null;
    return message === null
      ? { value: json, bytes }
      : decodeInner(message, maxInflatedBytes, false);
  }
  let bytes: Buffer;
  try {
    bytes = inflateIfGzip(decodeStrictBase64(text), maxInflatedBytes);
  } catch (error) {
    if (error instanceof CorruptGzip || error instanceof InflatedTooLarge) {
      throw new UndecodableMessage(error.message);
    }
    throw error;
  }
  return { value: parseOrThrow(bytes), bytes };
}

/**
 * Turns a queue message body back into the JSON Stream sent, whichever way it travelled: raw JSON,
 * base64(JSON), base64(gzip(JSON)), or any of those inside an SNS envelope
 * (`{"Type":"Notification","Message":"..."}`). Agrees with `stream-chat`'s `parseSqs`/`parseSns` on
 * everything they accept except an object with a `Message` that is not a real SNS notification
 * (see `snsMessage`), and also takes raw JSON, which Stream's Go/Python/PHP/Ruby SDKs expect.
 */
export function decodeQueueBody(
  body: string,
  maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES,
): unknown {
  return decodeInner(body, maxInflatedBytes, true).value;
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

/** `decodeQueueBody`, then the same event check as the webhook path; keeps the event bytes. */
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

/** The event of `decodeQueueMessage`, without its bytes. */
export function decodeQueueEvent(
  body: string,
  maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES,
): StreamEvent {
  return decodeQueueMessage(body, maxInflatedBytes).event;
}
