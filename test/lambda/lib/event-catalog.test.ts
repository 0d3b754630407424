/**
 * The generated catalog against the installed SDK. When an SDK update adds or removes event
 * types, the first test fails and names them: run `npm run catalog` and review the diff.
 *
 * The SDK's union is read here with the TypeScript parser, independently of the generator's
 * text scan, so a fault in either shows up as a difference.
 */
import type { WHEvent } from '@stream-io/node-sdk';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  ALL_EVENT_TYPES,
  EVENT_CATALOG,
  type CatalogEventType,
  type ProductFamily,
} from '../../../lambda/lib/event-catalog.js';
import type { KnownEventType } from '../../../lambda/lib/event-types.js';

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

/** The `type` literals of every member of `export type WHEvent = ...` in the installed SDK. */
function installedWhEventTypes(): string[] {
  const entry = createRequire(import.meta.url).resolve('@stream-io/node-sdk');
  const file = join(dirname(entry), 'src/gen/models/index.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const alias = source.statements.find(
    (node): node is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(node) && node.name.text === 'WHEvent',
  );
  if (alias === undefined) throw new Error(`no type alias WHEvent in ${file}`);
  if (!ts.isUnionTypeNode(alias.type)) throw new Error('WHEvent is no longer a union');

  return alias.type.types.map((member) => {
    const literals: string[] = [];
    const visit = (node: ts.Node): void => {
      if (
        ts.isPropertySignature(node) &&
        node.name.getText(source) === 'type' &&
        node.type !== undefined &&
        ts.isLiteralTypeNode(node.type) &&
        ts.isStringLiteral(node.type.literal)
      ) {
        literals.push(node.type.literal.text);
        return;
      }
      // Only the member's own type literal, not types it refers to by name.
      if (ts.isTypeReferenceNode(node)) return;
      ts.forEachChild(node, visit);
    };
    visit(member);
    if (literals.length !== 1) {
      throw new Error(
        `a WHEvent member has ${literals.length} type literals: ${member.getText(source)}`,
      );
    }
    return literals[0] as string;
  });
}

const FAMILIES = Object.keys(EVENT_CATALOG) as ProductFamily[];

describe('EVENT_CATALOG', () => {
  it('lists exactly the event types of the installed SDK (without its catch-all "*")', () => {
    const installed = new Set(installedWhEventTypes().filter((type) => type !== '*'));
    const catalog = new Set<string>(ALL_EVENT_TYPES);

    const added = [...installed].filter((type) => !catalog.has(type)).sort();
    const removed = [...catalog].filter((type) => !installed.has(type)).sort();

    expect(
      { added, removed },
      'the installed @stream-io/node-sdk (added: new there; removed: gone there) and lambda/lib/event-catalog.ts differ: run npm run catalog',
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
      expect.arrayContaining(['message.new', 'export.channels.success', 'custom', 'user.banned']),
    );
    expect(
      EVENT_CATALOG.video.every((t) => t.startsWith('call.') || t.startsWith('ingress.')),
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
