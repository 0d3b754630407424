/**
 * The installed @stream-io/node-sdk's `WHEvent` union, read with the TypeScript parser (not the
 * catalog generator's text scan, so a fault in either shows up as a difference).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

export interface WhEventMember {
  /** The member's `type` literal. */
  readonly type: string;
  /** The SDK interface the member is intersected with (`CustomVideoEvent`). */
  readonly model: string | undefined;
  /** The property names that interface declares. */
  readonly fields: ReadonlySet<string>;
}

export function installedWhEventMembers(): WhEventMember[] {
  const entry = createRequire(import.meta.url).resolve('@stream-io/node-sdk');
  const file = join(dirname(entry), 'src/gen/models/index.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const alias = source.statements.find(
    (node): node is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(node) && node.name.text === 'WHEvent',
  );
  if (alias === undefined) throw new Error(`no type alias WHEvent in ${file}`);
  if (!ts.isUnionTypeNode(alias.type)) throw new Error('WHEvent is no longer a union');
  const models = new Map(
    source.statements
      .filter(ts.isInterfaceDeclaration)
      .map((node) => [
        node.name.text,
        new Set(node.members.flatMap((m) => (m.name ? [m.name.getText(source)] : []))),
      ]),
  );

  return alias.type.types.map((member) => {
    const literals: string[] = [];
    const references: string[] = [];
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
      if (ts.isTypeReferenceNode(node)) {
        references.push(node.typeName.getText(source));
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(member);
    if (literals.length !== 1) {
      throw new Error(
        `a WHEvent member has ${literals.length} type literals: ${member.getText(source)}`,
      );
    }
    const model = references.length === 1 ? references[0] : undefined;
    return {
      type: literals[0] as string,
      model,
      fields: (model && models.get(model)) || new Set<string>(),
    };
  });
}
