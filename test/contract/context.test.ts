import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ContextError,
  cdkJsonContext,
  cdkJsonSettings,
  settingsFromContext,
} from '../../contract/context.js';

/** A context reader over a plain object, as app.node.tryGetContext reads cdk.json / -c. */
const settings = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);

describe('settingsFromContext', () => {
  it('names the default stack and sets nothing when no context is set', () => {
    expect(settings({})).toEqual({ stackName: 'StreamEvents', settings: {} });
  });

  it('keeps each value under its context key, durations as the numbers context gives', () => {
    const read = settings({
      stackName: 'Events',
      secret: 'stream/api',
      consumers: [{ name: 'chat', events: ['message.*'], maxBatchingWindow: 2, timeout: 20 }],
      throttle: { rateLimit: 50 },
      syncHooks: { budgetMs: 800, entry: 'hooks.ts' },
      maxEventAge: '3600',
      sourceIpAllowlist: true,
      alarmEmail: ' ops@example.com ',
      alarms: { oldestMessageMinutes: 30 },
    });

    expect(read).toStrictEqual({
      stackName: 'Events',
      settings: {
        secret: 'stream/api',
        consumers: [
          {
            name: 'chat',
            events: ['message.*'],
            entry: undefined,
            batchSize: undefined,
            maxConcurrency: undefined,
            memorySize: undefined,
            maxBatchingWindow: 2,
            timeout: 20,
          },
        ],
        throttle: { rateLimit: 50, burstLimit: undefined },
        syncHooks: {
          enabled: true,
          entry: 'hooks.ts',
          budgetMs: 800,
          provisionedConcurrency: undefined,
          reservedConcurrency: undefined,
        },
        maxEventAge: 3600,
        sourceIpAllowlist: true,
        alarmEmail: 'ops@example.com',
        alarms: { oldestMessageMinutes: 30, badSignatures: undefined, serverErrors: undefined },
      },
    });
  });

  it('refuses a value of the wrong shape with a ContextError naming its key', () => {
    expect(() => settings({ syncHooks: { budget: 800 } })).toThrow(ContextError);
    expect(() => settings({ syncHooks: { budget: 800 } })).toThrow(
      'context "syncHooks": unknown key(s) "budget"; allowed: enabled, entry, budgetMs',
    );
  });
});

describe('cdk.json', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'stream-events-context-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives an empty context without a cdk.json or without a context in it', async () => {
    const without = cdkJsonContext(root);
    await writeFile(join(root, 'cdk.json'), '{"app":"x"}');

    expect(without).toEqual({});
    expect(cdkJsonContext(root)).toEqual({});
  });

  it('names the file when it is not JSON', async () => {
    await writeFile(join(root, 'cdk.json'), '{ not json');

    expect(() => cdkJsonContext(root)).toThrow(/cdk\.json is not valid JSON/);
  });

  it('refuses a context that is not an object', async () => {
    await writeFile(join(root, 'cdk.json'), '{"context":[1]}');

    expect(() => cdkJsonContext(root)).toThrow(/cdk\.json: "context" must be an object/);
  });

  it('reads the settings `npx cdk synth` builds the stack from', async () => {
    await writeFile(
      join(root, 'cdk.json'),
      JSON.stringify({ context: { stackName: 'Staging', ordering: 'per-entity' } }),
    );

    expect(cdkJsonSettings(root)).toEqual({
      stackName: 'Staging',
      settings: { ordering: 'per-entity' },
    });
  });
});
