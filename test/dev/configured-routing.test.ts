import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredRouting, DevGroupsError, loadDevGroups } from '../../dev/groups.js';
import { loadSyncHookRuntime } from '../../dev/sync-hook-runtime.js';
import { DEFAULT_CONSUMER_GROUPS } from '../../contract/consumer-groups.js';
import { hooks as exampleHooks } from '../../lambda/handlers/sync-hooks.js';
import { handlers as exampleHandlers } from '../../lambda/handlers/index.js';

/** A throw-away repository root holding a cdk.json and handler entries. */
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stream-events-dev-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const writeCdkJson = (context: unknown): Promise<void> =>
  writeFile(join(root, 'cdk.json'), JSON.stringify({ app: 'npx tsx bin/app.ts', context }));

/** An entry exporting `handlers` with one `*` handler that tags what it was loaded as. */
const writeEntry = (file: string, tag: string): Promise<void> =>
  writeFile(
    join(root, file),
    `export const handlers = { '*': () => ${JSON.stringify(tag)} };\nexport const handler = null;\n`,
  );

describe('configuredRouting', () => {
  it("runs the groups and ordering of cdk.json's context, with each entry's handlers", async () => {
    await writeEntry('messages.mjs', 'messages');
    await writeEntry('rest.mjs', 'rest');
    await writeCdkJson({
      ordering: 'per-entity',
      consumers: [
        { name: 'messages', events: ['message.*', 'reaction.new'], entry: 'messages.mjs' },
        { name: 'rest', events: ['*'], entry: 'rest.mjs', batchSize: 5 },
      ],
    });

    const routing = await configuredRouting(root);

    expect(routing.ordering).toBe('per-entity');
    expect(routing.groups.map(({ name, patterns }) => ({ name, patterns }))).toEqual([
      { name: 'messages', patterns: ['message.*', 'reaction.new'] },
      { name: 'rest', patterns: ['*'] },
    ]);
    expect(
      routing.groups.map((group) => (group.handlers['*'] as unknown as () => string)()),
    ).toEqual(['messages', 'rest']);
  });

  it('reads `consumers` given as JSON text, as `-c consumers=...` gives it', async () => {
    await writeEntry('all.mjs', 'all');
    await writeCdkJson({
      consumers: JSON.stringify([{ name: 'all', events: ['*'], entry: 'all.mjs' }]),
    });

    const routing = await configuredRouting(root);

    expect(routing.groups.map((group) => group.name)).toEqual(['all']);
    expect(routing.ordering).toBe('none');
  });

  it('refuses a table the stack would refuse, naming the group', async () => {
    await writeEntry('a.mjs', 'a');
    await writeCdkJson({
      consumers: [
        { name: 'chat', events: ['message.*'], entry: 'a.mjs' },
        { name: 'chat', events: ['*'], entry: 'a.mjs' },
      ],
    });

    await expect(configuredRouting(root)).rejects.toThrow(/consumers\[1\] \("chat"\).*unique/);
  });

  it('refuses an entry file that does not exist', async () => {
    await writeCdkJson({ consumers: [{ name: 'chat', events: ['*'], entry: 'missing.ts' }] });

    await expect(configuredRouting(root)).rejects.toThrow(/entry "missing.ts" is not a file/);
  });

  it('refuses an entry that exports no handlers', async () => {
    await writeFile(join(root, 'empty.mjs'), 'export const handler = null;\n');
    await writeCdkJson({ consumers: [{ name: 'chat', events: ['*'], entry: 'empty.mjs' }] });

    await expect(configuredRouting(root)).rejects.toThrow(DevGroupsError);
  });

  it('refuses a context value of the wrong shape, as the CDK app does', async () => {
    await writeCdkJson({ consumers: { name: 'chat' } });

    await expect(configuredRouting(root)).rejects.toThrow(/"consumers" must be a JSON array/);
  });
});

describe('configuredRouting: the sync hooks', () => {
  /** A cdk.json with one group (its entry in the throw-away root) and `syncHooks`. */
  const writeWithHooks = async (syncHooks: unknown): Promise<void> => {
    await writeEntry('all.mjs', 'all');
    await writeCdkJson({
      consumers: [{ name: 'all', events: ['*'], entry: 'all.mjs' }],
      syncHooks,
    });
  };

  it("loads the hooks of cdk.json's syncHooks.entry", async () => {
    await writeFile(
      join(root, 'my-hooks.mjs'),
      "export const hooks = { customCommands: { mine: () => ({ text: 'mine' }) } };\n" +
        'export const handler = null;\n',
    );
    await writeWithHooks({ entry: 'my-hooks.mjs' });

    const routing = await configuredRouting(root);

    expect(Object.keys(routing.hookRuntime?.hooks.customCommands ?? {})).toEqual(['mine']);
  });

  it('leaves the hooks to the default entry when cdk.json names none', async () => {
    await writeWithHooks({ budgetMs: 500 });

    const routing = await configuredRouting(root);

    expect(routing.hookRuntime).toBeUndefined();
  });

  it('refuses a syncHooks entry that does not exist, as the synth does', async () => {
    await writeWithHooks({ entry: 'missing-hooks.ts' });

    await expect(configuredRouting(root)).rejects.toThrow(
      /syncHooks: entry "missing-hooks.ts" is not a file \(looked for .*missing-hooks\.ts/,
    );
  });

  it('refuses a syncHooks entry that exports no hooks', async () => {
    await writeFile(join(root, 'no-hooks.mjs'), 'export const handler = null;\n');
    await writeWithHooks({ entry: 'no-hooks.mjs' });

    await expect(configuredRouting(root)).rejects.toThrow(
      'syncHooks: entry "no-hooks.mjs" exports no `hooks` object',
    );
  });
});

describe('loadSyncHookRuntime', () => {
  it('loads lambda/handlers/sync-hooks.ts by default: the shipped examples', async () => {
    const { hooks } = await loadSyncHookRuntime();

    expect(hooks).toBe(exampleHooks);
  });
});

describe('loadDevGroups', () => {
  it("runs the stack's default table as the group `all` with every example handler", async () => {
    const [group, ...others] = await loadDevGroups(DEFAULT_CONSUMER_GROUPS);

    expect(others).toEqual([]);
    expect(group?.name).toBe('all');
    expect(group?.patterns).toEqual(['*']);
    expect(Object.keys(group?.handlers ?? {}).sort()).toEqual(Object.keys(exampleHandlers).sort());
  });
});
