import { EVENT_MAP } from 'stream-chat';
import { describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES, EVENT_CATALOG } from '../../../../lambda/lib/domain/event-catalog.js';
import { familyOf, PRODUCT_FAMILIES } from '../../../../lambda/lib/domain/product-family.js';
import { installedWhEventMembers } from '../../../support/sdk-wh-event.js';

describe('familyOf', () => {
  it('puts every catalog type in the family the catalog lists it under', () => {
    const families = Object.entries(EVENT_CATALOG).flatMap(([family, types]) =>
      types.map((type) => [type, family]),
    );

    expect(families.map(([type]) => [type, familyOf(type ?? '')])).toEqual(families);
  });

  it.each([
    ['call.some_future_event', 'video'],
    ['feeds.some_future_event', 'feeds'],
    ['moderation.some_future_event', 'moderation'],
    ['message.flagged', 'moderation'],
    ['some_product.some_event', 'chat'],
    ['some_custom_chat_event', 'chat'],
  ])('gives a type the SDK does not declare the family of its prefix: %s is %s', (type, family) => {
    expect(familyOf(type)).toBe(family);
  });

  it('knows the catalog families and no other', () => {
    expect([...PRODUCT_FAMILIES].sort()).toEqual(Object.keys(EVENT_CATALOG).sort());
  });
});

/**
 * What Stream's own SDKs say about each catalog type. They do not name families outright, but
 * three facts in their types do: @stream-io/node-sdk models every video event with a `call_cid`
 * (`CustomVideoEvent` is the `custom` type: a call's custom event, while chat's custom events keep
 * the type their sender chose) and every feeds event with an `fid`; stream-chat's client lists
 * the chat events it handles. Moderation has no such mark: the rules decide it alone.
 */
describe('familyOf agrees with the Stream SDKs', () => {
  const members = installedWhEventMembers().filter(({ type }) => type !== '*');
  const withField = (field: string) =>
    members.filter(({ fields }) => fields.has(field)).map(({ type }) => type);

  it('reads a model for every catalog type', () => {
    expect(members.filter(({ model }) => model === undefined)).toEqual([]);
    expect(members.map(({ type }) => type).sort()).toEqual([...ALL_EVENT_TYPES]);
  });

  it('video is exactly the types whose SDK model carries a call_cid', () => {
    const video = withField('call_cid').sort();

    expect(ALL_EVENT_TYPES.filter((type) => familyOf(type) === 'video')).toEqual(video);
    expect(video).toEqual(expect.arrayContaining(['call.session_started', 'ingress.started']));
  });

  it('feeds takes every type whose SDK model carries an fid', () => {
    const feeds = withField('fid');

    expect(feeds.filter((type) => familyOf(type) !== 'feeds')).toEqual([]);
    expect(feeds).toContain('feeds.activity.added');
  });

  it("chat takes every catalog type stream-chat's client handles", () => {
    const chatClient = ALL_EVENT_TYPES.filter((type) => Object.hasOwn(EVENT_MAP, type));

    expect(chatClient.filter((type) => familyOf(type) !== 'chat')).toEqual([]);
    expect(chatClient).toEqual(expect.arrayContaining(['message.new', 'user.banned']));
  });
});
