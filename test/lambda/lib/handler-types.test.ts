/**
 * The typed handler registry's compile-time contract. `tsc --noEmit` (part of `npm test`) checks
 * this file: every `@ts-expect-error` must meet an error, every `expectTypeOf` must hold. The
 * run-time tests at the end check that what compiles also routes.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  EventOf,
  EventPattern,
  KnownEventType,
  PayloadFor,
  Wire,
} from '../../../lambda/lib/domain/event-types.js';
import {
  createRouter,
  defineHandlers,
  type HandlerContext,
} from '../../../lambda/lib/domain/handlers.js';
import type { StreamEvent } from '../../../lambda/lib/domain/stream-event.js';

const seen: string[] = [];

/** Compiles: each handler's `event` is typed from the key it is registered under. */
const handlers = defineHandlers({
  'message.new': (event, context) => {
    const id: string = event.message.id;
    const text: string | undefined = event.message.text;
    // The wire carries ISO strings where the SDK's models say Date.
    const createdAt: string = event.created_at;
    const messageCreatedAt: string = event.message.created_at;
    // @ts-expect-error created_at is a string on the wire, not a Date
    const asDate: Date = event.created_at;
    // @ts-expect-error call_cid is a field of call events, not of message.new
    const callCid: unknown = event.call_cid;
    // @ts-expect-error activity is a field of feeds events, not of message.new
    const activity: unknown = event.activity;
    expectTypeOf(event.type).toEqualTypeOf<'message.new'>();
    expectTypeOf(context).toEqualTypeOf<HandlerContext>();
    seen.push(
      id,
      text ?? '',
      createdAt,
      messageCreatedAt,
      String(asDate),
      String(callCid),
      String(activity),
    );
  },
  'call.session_started': (event) => {
    const callCid: string = event.call_cid;
    // @ts-expect-error message is a field of message events, not of call.session_started
    const message: unknown = event.message;
    seen.push(callCid, String(message));
  },
  'message.*': (event) => {
    // A prefix handler gets the union of the types under it ...
    expectTypeOf<'message.new'>().toExtend<typeof event.type>();
    expectTypeOf<'message.updated'>().toExtend<typeof event.type>();
    // ... and only those.
    expectTypeOf<'reaction.new'>().not.toExtend<typeof event.type>();
    // Narrowing on `type` gives the member's payload back.
    if (event.type === 'message.new') {
      expectTypeOf(event).toEqualTypeOf<EventOf<'message.new'>>();
      const id: string = event.message.id;
      seen.push(id);
    }
  },
  'feeds.activity.*': (event) => {
    expectTypeOf<'feeds.activity.added'>().toExtend<typeof event.type>();
    expectTypeOf<'feeds.comment.added'>().not.toExtend<typeof event.type>();
    seen.push(event.type);
  },
  '*': (event) => {
    // `*` takes any event, known or not: a type string and unknown fields.
    expectTypeOf(event).toEqualTypeOf<StreamEvent>();
    const type: string = event.type;
    const anything: unknown = event.whatever;
    seen.push(type, String(anything));
  },
});

// Registrations the registry must refuse. Each carries an expect-error directive, which tsc
// reports as unused the day the registry starts accepting it.
export const refused = [
  defineHandlers({
    // @ts-expect-error 'message.nope' is not an event type
    'message.nope': () => undefined,
  }),
  // @ts-expect-error no known type starts with 'nope.'
  defineHandlers({ 'nope.*': () => undefined }),
  // @ts-expect-error 'message.new' has nothing under it
  defineHandlers({ 'message.new.*': () => undefined }),
  // @ts-expect-error a prefix needs its dot
  defineHandlers({ 'message*': () => undefined }),
];

// The pattern and payload types, as the registry promises them.
expectTypeOf<KnownEventType>().toExtend<EventPattern>();
expectTypeOf<'*'>().toExtend<EventPattern>();
expectTypeOf<'message.*'>().toExtend<EventPattern>();
expectTypeOf<'feeds.activity.*'>().toExtend<EventPattern>();
expectTypeOf<PayloadFor<'*'>>().toEqualTypeOf<StreamEvent>();
expectTypeOf<EventOf<'message.new'>>().toExtend<PayloadFor<'message.*'>>();
expectTypeOf<EventOf<'message.new'>['created_at']>().toEqualTypeOf<string>();
expectTypeOf<Wire<{ at: Date; list: Date[]; nested: { at?: Date } }>>().toEqualTypeOf<{
  at: string;
  list: string[];
  nested: { at?: string };
}>();

describe('typed handler registry (run time)', () => {
  const route = createRouter(handlers);

  it.each([
    ['message.new', 'message.new'],
    ['message.updated', 'message.*'],
    ['call.session_started', 'call.session_started'],
    ['feeds.activity.added', 'feeds.activity.*'],
    ['something.custom', '*'],
  ])('routes %s to the handler registered under %s', (type, pattern) => {
    expect(route(type)).toEqual({ pattern, handler: handlers[pattern as EventPattern] });
  });

  it('runs the handler with the event it is given', async () => {
    // Arrange
    seen.length = 0;
    const event = { type: 'call.session_started', call_cid: 'default:call-1', message: 'x' };

    // Act
    await route('call.session_started')?.handler(event, {} as HandlerContext);

    // Assert
    expect(seen).toEqual(['default:call-1', 'x']);
  });

  it('is the identity at run time: defineHandlers only adds types', () => {
    const map = { '*': () => undefined };
    expect(defineHandlers(map)).toBe(map);
  });
});
