/**
 * The generated catalog against the installed SDK. When an SDK update adds or removes event
 * types, the first test fails and names them: run `npm run catalog` and review the diff.
 *
 * The SDK's union is read with the TypeScript parser (test/support/sdk-wh-event.ts),
 * independently of the generator's text scan, so a fault in either shows up as a difference.
 */
import type { WHEvent } from '@stream-io/node-sdk';
import { describe, expect, it } from 'vitest';
import {
  ALL_EVENT_TYPES,
  EVENT_CATALOG,
  type CatalogEventType,
  type ProductFamily,
} from '../../../../lambda/lib/domain/event-catalog.js';
import type { KnownEventType } from '../../../../lambda/lib/domain/event-types.js';
import { installedWhEventMembers } from '../../../support/sdk-wh-event.js';

// Compile-time half: `tsc --noEmit` fails here when the catalog and the SDK's union differ.
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}
assertType<Equals<CatalogEventType, Exclude<WHEvent['type'], '*'>>>();
assertType<Equals<KnownEventType, CatalogEventType>>();
// The check itself can fail: a type it must reject.
// @ts-expect-error the catalog is not the SDK's union with '*' left in
assertType<Equals<CatalogEventType, WHEvent['type']>>();

const FAMILIES = Object.keys(EVENT_CATALOG) as ProductFamily[];

describe('EVENT_CATALOG', () => {
  it('lists exactly the event types of the installed SDK (without its catch-all "*")', () => {
    const installed = new Set(
      installedWhEventMembers()
        .map(({ type }) => type)
        .filter((type) => type !== '*'),
    );
    const catalog = new Set<string>(ALL_EVENT_TYPES);

    const added = [...installed].filter((type) => !catalog.has(type)).sort();
    const removed = [...catalog].filter((type) => !installed.has(type)).sort();

    expect(
      { added, removed },
      'the installed @stream-io/node-sdk (added: new there; removed: gone there) and lambda/lib/domain/event-catalog.ts differ: run npm run catalog',
    ).toEqual({ added: [], removed: [] });
  });

  it('puts every type in exactly one family', () => {
    const seen = new Map<string, ProductFamily[]>();
    for (const family of FAMILIES) {
      for (const type of EVENT_CATALOG[family]) seen.set(type, [...(seen.get(type) ?? []), family]);
    }
    const inSeveral = [...seen].filter(([, families]) => families.length !== 1);

    expect(inSeveral).toEqual([]);
    expect(seen.size).toBe(ALL_EVENT_TYPES.length);
  });

  it('has the four product families, none empty', () => {
    expect(FAMILIES).toEqual(['chat', 'video', 'feeds', 'moderation']);
    for (const family of FAMILIES) expect(EVENT_CATALOG[family].length, family).toBeGreaterThan(0);
  });

  it('groups by the documented rule', () => {
    expect(EVENT_CATALOG.video).toContain('call.session_started');
    expect(EVENT_CATALOG.video).toContain('ingress.started');
    expect(EVENT_CATALOG.video).toContain('custom');
    expect(EVENT_CATALOG.feeds).toContain('feeds.activity.added');
    expect(EVENT_CATALOG.moderation).toEqual(
      expect.arrayContaining([
        'moderation.flagged',
        'review_queue_item.new',
        'appeal.created',
        'flag.updated',
        'export.moderation_logs.success',
        'user.flagged',
        'message.flagged',
      ]),
    );
    expect(EVENT_CATALOG.chat).toEqual(
      expect.arrayContaining(['message.new', 'export.channels.success', 'user.banned']),
    );
    expect(
      EVENT_CATALOG.video.every(
        (t) => t.startsWith('call.') || t.startsWith('ingress.') || t === 'custom',
      ),
    ).toBe(true);
    expect(EVENT_CATALOG.feeds.every((t) => t.startsWith('feeds.'))).toBe(true);
  });

  it('keeps each family and ALL_EVENT_TYPES sorted and without duplicates', () => {
    const sortedUnique = (list: readonly string[]) => [...new Set(list)].sort();
    for (const family of FAMILIES) {
      expect(EVENT_CATALOG[family], family).toEqual(sortedUnique(EVENT_CATALOG[family]));
    }
    expect(ALL_EVENT_TYPES).toEqual(sortedUnique(FAMILIES.flatMap((f) => EVENT_CATALOG[f])));
  });
});
