import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG } from '../../../lambda/lib/event-catalog.js';
import { familyOf, PRODUCT_FAMILIES } from '../../../lambda/lib/product-family.js';

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
    ['custom', 'chat'],
  ])('gives a type the SDK does not declare the family of its prefix: %s is %s', (type, family) => {
    expect(familyOf(type)).toBe(family);
  });

  it('knows the catalog families and no other', () => {
    expect([...PRODUCT_FAMILIES].sort()).toEqual(Object.keys(EVENT_CATALOG).sort());
  });
});
