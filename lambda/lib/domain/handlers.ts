import type { EventPattern, PayloadFor } from './event-types.js';
import type { Logger } from './logger.js';
import type { DeliverySource } from './message-attributes.js';
import { mostSpecificPattern } from './patterns.js';
import { assertValidPattern } from '../../../contract/patterns.js';
import type { StreamEvent } from './stream-event.js';

/** What a handler knows about the delivery besides the event. */
export interface HandlerContext {
  readonly group: string;
  /** `X-Webhook-Id` when the event came through the webhook; null for direct SQS/SNS deliveries. */
  readonly webhookId: string | null;
  readonly attempt: number | null;
  readonly source: DeliverySource | 'unknown';
  /** When the verifier took the delivery (ISO 8601), or null when Stream queued it directly. */
  readonly receivedAt: string | null;
  readonly messageId: string;
  /**
   * The event's bytes as Stream signed them (base64, gzip and any SNS envelope undone): the
   * source of `event`, whose integers beyond 2^53 `JSON.parse` rounded. `exactNumbers`
   * (lambda/lib/domain/exact-numbers.ts) reads them exactly from here.
   */
  readonly rawEvent: Buffer;
  readonly logger: Logger;
}

export type EventHandler<P extends EventPattern> = (
  event: PayloadFor<P>,
  context: HandlerContext,
) => void | Promise<void>;

/** The user's handlers by pattern; registering a type the SDK does not know is a compile error. */
export type HandlerMap = { readonly [P in EventPattern]?: EventHandler<P> };

/** Gives each handler its payload type from the key it is registered under. */
export function defineHandlers(handlers: HandlerMap): HandlerMap {
  return handlers;
}

type AnyHandler = (event: StreamEvent, context: HandlerContext) => void | Promise<void>;

export interface Route {
  readonly pattern: string;
  readonly handler: AnyHandler;
}

/** Compiles the map once per container; throws at cold start on a malformed pattern. */
export function createRouter(handlers: HandlerMap): (type: string) => Route | null {
  const table = new Map<string, AnyHandler>();
  for (const [pattern, handler] of Object.entries(handlers)) {
    if (handler === undefined) continue;
    assertValidPattern(pattern);
    // The map's keys fix each handler's payload type; at run time every handler takes an event.
    table.set(pattern, handler as AnyHandler);
  }
  const patterns = [...table.keys()];
  return (type) => {
    const pattern = mostSpecificPattern(type, patterns);
    const handler = pattern === null ? undefined : table.get(pattern);
    return pattern === null || handler === undefined ? null : { pattern, handler };
  };
}
