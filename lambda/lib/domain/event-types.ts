import type { WHEvent } from '@stream-io/node-sdk';
import type { CatalogEventType } from './event-catalog.js';
import type { StreamEvent } from './stream-event.js';

// Type-only: nothing of @stream-io/node-sdk reaches a Lambda bundle.

/**
 * An SDK model as it arrives in JSON: the SDK declares timestamps as `Date`, but the wire (and so
 * a handler) has ISO strings.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? Wire<Item>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/**
 * Every event type the installed `@stream-io/node-sdk` knows: the generated catalog, which
 * test/lambda/lib/domain/event-catalog.test.ts holds equal to `Exclude<WHEvent['type'], '*'>`.
 */
export type KnownEventType = CatalogEventType;

type PrefixesOf<T extends string> = T extends `${infer Head}.${infer Rest}`
  ? Head | `${Head}.${PrefixesOf<Rest>}`
  : never;

/** `message.*`, `feeds.activity.*`, ...: every dotted prefix of a known type. */
export type PrefixPattern = `${PrefixesOf<KnownEventType>}.*`;

export type EventPattern = KnownEventType | PrefixPattern | '*';

/** The payload of a known type, as JSON. */
export type EventOf<T extends KnownEventType> = Wire<Extract<WHEvent, { type: T }>>;

/**
 * What a handler registered under `P` receives. A prefix handler is typed with the types the SDK
 * knows; Stream may add types under that prefix before the SDK does, so check `type` when it
 * matters. `*` gets any event, known or not.
 */
export type PayloadFor<P extends EventPattern> = P extends '*'
  ? StreamEvent
  : P extends `${infer Prefix}.*`
    ? Wire<Extract<WHEvent, { type: `${Prefix}.${string}` }>>
    : P extends KnownEventType
      ? EventOf<P>
      : never;
