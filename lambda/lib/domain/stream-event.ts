import { DeliveryRejected } from './errors.js';

/**
 * What every Stream event has in common on the wire. Other fields vary by type and are kept
 * untouched; unknown fields and unknown types are normal (Stream adds them over time).
 */
export interface StreamEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

export type EventShapeProblem = 'bad_json' | 'not_an_object' | 'missing_type';

/** Why `value` is not a Stream event, or null when it is one. */
export function eventShapeProblem(value: unknown): Exclude<EventShapeProblem, 'bad_json'> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not_an_object';
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && type !== '' ? null : 'missing_type';
}

/**
 * Parses the event bytes. UTF-8 decoding replaces invalid sequences exactly as Stream's SDKs do
 * (`Buffer#toString`), so both read the same event from the same bytes.
 */
export function parseJson(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8'));
}

/** A JSON object: what every Stream delivery body is, whatever else it holds. */
export type JsonObject = { readonly [field: string]: unknown };

/** Step 5, shared by every path: the verified bytes must hold a JSON object. */
export function parseObjectOrReject(bytes: Buffer): JsonObject {
  let value: unknown;
  try {
    value = parseJson(bytes);
  } catch {
    throw new DeliveryRejected(400, 'bad_json', 'body is not valid JSON');
  }
  if (eventShapeProblem(value) === 'not_an_object') {
    throw new DeliveryRejected(400, 'not_an_object', 'body is not a JSON object');
  }
  return value as JsonObject;
}

/** The webhook path's own check on top of step 5: the object must have a string `type`. */
export function eventOrReject(value: JsonObject): StreamEvent {
  if (eventShapeProblem(value) === 'missing_type') {
    throw new DeliveryRejected(400, 'missing_type', 'event has no string "type"');
  }
  return value as StreamEvent;
}

/** The webhook path's step 5: the verified bytes must hold a JSON object with a string `type`. */
export function parseEventOrReject(bytes: Buffer): StreamEvent {
  return eventOrReject(parseObjectOrReject(bytes));
}
