/**
 * What reads the group table and the limits outside a synth (the dev pipeline, the CLI) reads
 * them from contract/ and loads no aws-cdk-lib: about 600 modules and most of a second otherwise.
 */
import { describe, expect, it } from 'vitest';
import { cdkModules, modulesLoadedBy } from '../support/loaded-modules.js';

describe('loading no aws-cdk-lib', () => {
  it('sees aws-cdk-lib and constructs when the stack is imported (the check can fail)', async () => {
    const loaded = await modulesLoadedBy("await import('./lib/stream-events-stack.ts');");

    expect(cdkModules(loaded)).toContainEqual(expect.stringMatching(/\/aws-cdk-lib\/index\.js$/));
    expect(cdkModules(loaded)).toContainEqual(expect.stringMatching(/\/constructs\//));
  });

  it('the dev pipeline and its configured routing load none', async () => {
    const loaded = await modulesLoadedBy(
      "await import('./dev/pipeline.ts'); await (await import('./dev/groups.ts')).configuredRouting();",
    );

    expect(loaded).toContainEqual(expect.stringMatching(/\/dev\/pipeline\.ts$/));
    expect(cdkModules(loaded)).toEqual([]);
  });

  it('the group table status, redrive and events read loads none', async () => {
    const loaded = await modulesLoadedBy(
      "const { loadGroupTable } = await import('./cli/group-queues.ts');" +
        'const table = await loadGroupTable();' +
        "if (table.groups.length === 0) throw new Error('no groups');",
    );

    expect(loaded).toContainEqual(expect.stringMatching(/\/contract\//));
    expect(cdkModules(loaded)).toEqual([]);
  });

  it('`stream-events events` loads none', async () => {
    const loaded = await modulesLoadedBy(
      "process.argv = [process.argv[0], 'stream-events', 'events', '--json'];" +
        "await import('./bin/stream-events.ts');",
    );

    expect(loaded).toContainEqual(expect.stringMatching(/\/cli\/events\.ts$/));
    expect(cdkModules(loaded)).toEqual([]);
  });
});
