/**
 * Integers beyond 2^53, exactly. A handler's event is what `JSON.parse` makes of Stream's bytes,
 * as in Stream's own JavaScript SDKs and as the SDK types say (`number`), so a larger integer
 * (a nanosecond timestamp: 1714566896123456789) arrives rounded to the nearest double. A handler
 * that needs its digits reads the event again from `context.rawEvent` through `exactNumbers`.
 *
 * Import it only where it is used: it brings `lossless-json` into that function's bundle.
 */
import { isInteger, parse } from 'lossless-json';
import type { HandlerContext } from './handlers.js';
import type { StreamEvent } from './stream-event.js';

/** `T` with every `number` widened to what `exactNumbers` may put there. */
export type ExactNumbers<T> = T extends number
  ? number | bigint
  : T extends readonly (infer Item)[]
    ? ExactNumbers<Item>[]
    : T extends object
      ? { [K in keyof T]: ExactNumbers<T[K]> }
      : T;

/**
 * 2^53 has 16 digits: a JSON text without a run of 16 digits holds no integer beyond it. Latin-1
 * maps each byte to one character, and no byte of a multi-byte UTF-8 sequence to a digit.
 */
const UNSAFE_DIGITS = /[0-9]{16}/;

/** An integer literal a `number` cannot hold exactly becomes a bigint; the rest as JSON.parse. */
function parseNumber(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) || !isInteger(text) ? value : BigInt(text);
}

/**
 * `event` with every integer beyond ±(2^53 − 1) as a `bigint` holding its exact digits, read from
 * the bytes Stream sent (`context.rawEvent`); all else as in `event`. Returns `event` itself when
 * the bytes hold no run of 16 digits, so the common event costs one scan of its bytes.
 */
export function exactNumbers<E extends StreamEvent>(
  event: E,
  context: Pick<HandlerContext, 'rawEvent'>,
): ExactNumbers<E> {
  if (!UNSAFE_DIGITS.test(context.rawEvent.toString('latin1'))) return event as ExactNumbers<E>;
  const exact = parse(context.rawEvent.toString('utf8'), null, {
    parseNumber,
    // JSON.parse keeps the last of repeated keys; so does this, rather than throw.
    onDuplicateKey: ({ newValue }) => newValue,
  });
  return exact as ExactNumbers<E>;
}
