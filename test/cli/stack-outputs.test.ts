import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES } from '../../lambda/lib/domain/event-catalog.js';
import { eventHookOutputs } from '../../lib/event-hook-outputs.js';
import { sqsEventHook, webhookEventHook } from '../../lib/routing/event-hooks.js';
import { CommandError, UsageError } from '../../cli/command.js';
import {
  defaultStackName,
  describeStackWithSdk,
  desiredEventHooks,
  groupQueue,
  groupQueues,
  loadStackOutputs,
  outputsSourceFrom,
  stackEventHooks,
  stackTargets,
  type StackOutputs,
} from '../../cli/stack-outputs.js';
import {
  STACK,
  stackOutputs,
  stackOutputsWithout,
  writeOutputsFile,
} from '../support/fake-stream-api.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-outputs-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stack = (outputs: Record<string, string> = stackOutputs()): StackOutputs => ({
  stackName: STACK.name,
  origin: 'test',
  outputs,
});

describe('outputsSourceFrom', () => {
  it('reads CloudFormation unless --outputs-file is given', () => {
    expect(outputsSourceFrom({})).toEqual({
      source: { kind: 'stack', stackName: undefined, region: undefined },
      explicit: false,
    });
    expect(outputsSourceFrom({ stack: 'S', region: 'eu-west-1' })).toEqual({
      source: { kind: 'stack', stackName: 'S', region: 'eu-west-1' },
      explicit: true,
    });
    expect(outputsSourceFrom({ 'outputs-file': 'o.json', stack: 'S' })).toEqual({
      source: { kind: 'file', path: 'o.json', stackName: 'S' },
      explicit: true,
    });
  });

  it('rejects --region with a file, and empty values', () => {
    expect(() => outputsSourceFrom({ 'outputs-file': 'o.json', region: 'x' })).toThrow(UsageError);
    expect(() => outputsSourceFrom({ stack: '' })).toThrow(UsageError);
    expect(() => outputsSourceFrom({ 'outputs-file': '' })).toThrow(UsageError);
  });
});

describe('loadStackOutputs from an outputs file', () => {
  it('reads the only stack in the file', async () => {
    const path = await writeOutputsFile(dir, { WebhookUrl: 'u' }, 'Mine');

    await expect(loadStackOutputs({ kind: 'file', path })).resolves.toEqual({
      stackName: 'Mine',
      origin: path,
      outputs: { WebhookUrl: 'u' },
    });
  });

  it('needs --stack when the file holds several stacks, unless one is the default', async () => {
    const path = join(dir, 'several.json');
    await writeFile(path, JSON.stringify({ A: { K: 'a' }, B: { K: 'b' } }));
    const withDefault = join(dir, 'default.json');
    await writeFile(withDefault, JSON.stringify({ A: { K: 'a' }, StreamEvents: { K: 's' } }));

    await expect(loadStackOutputs({ kind: 'file', path })).rejects.toThrow(
      'holds several stacks (A, B): pick one with --stack',
    );
    await expect(loadStackOutputs({ kind: 'file', path, stackName: 'B' })).resolves.toMatchObject({
      outputs: { K: 'b' },
    });
    await expect(loadStackOutputs({ kind: 'file', path, stackName: 'C' })).rejects.toThrow(
      'has no stack "C" (it holds: A, B)',
    );
    await expect(loadStackOutputs({ kind: 'file', path: withDefault })).resolves.toMatchObject({
      stackName: 'StreamEvents',
    });
  });

  it.each([
    ['missing.json', null, 'cannot read the outputs file'],
    ['bad.json', 'not json', 'is not JSON'],
    ['array.json', '[]', 'is not an outputs file'],
    ['empty.json', '{}', 'holds no stack'],
  ])('explains an unusable file (%s)', async (name, text, message) => {
    const path = join(dir, name);
    if (text !== null) await writeFile(path, text);

    const error = await loadStackOutputs({ kind: 'file', path }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain(message);
  });
});

describe('loadStackOutputs from CloudFormation', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  afterEach(() => cloudFormation.reset());

  it('reads the outputs with DescribeStacks', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'S' }).resolves({
      Stacks: [
        {
          StackName: 'S',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            { OutputKey: 'WebhookUrl', OutputValue: 'https://x/webhook' },
            { OutputKey: 'QueueUrl', OutputValue: 'https://sqs/q' },
          ],
        },
      ],
    });

    await expect(
      loadStackOutputs({ kind: 'stack', stackName: 'S', region: 'eu-west-1' }),
    ).resolves.toEqual({
      stackName: 'S',
      origin: 'CloudFormation eu-west-1, UPDATE_COMPLETE',
      outputs: { WebhookUrl: 'https://x/webhook', QueueUrl: 'https://sqs/q' },
    });
  });

  it('says when the stack does not exist', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }),
      );

    await expect(describeStackWithSdk('Nope', 'eu-west-1')).rejects.toThrow(
      'stack "Nope" not found in eu-west-1: deploy it with `npx cdk deploy`',
    );
  });

  it('says when there are no credentials, and passes other errors on', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    await expect(describeStackWithSdk('S', 'eu-west-1')).rejects.toThrow(
      /no AWS credentials to read stack "S".*--outputs-file/,
    );

    cloudFormation.on(DescribeStacksCommand).rejects(new Error('Rate exceeded'));
    await expect(describeStackWithSdk('S', 'eu-west-1')).rejects.toThrow(
      'could not read stack "S" in eu-west-1: Rate exceeded',
    );
  });

  it("takes the stack name from cdk.json's context when none is given", async () => {
    const cdkJson = join(dir, 'cdk.json');
    await writeFile(cdkJson, JSON.stringify({ app: 'x', context: { stackName: 'Custom' } }));
    const asked: string[] = [];

    const outputs = await loadStackOutputs(
      { kind: 'stack' },
      {
        cdkJsonPath: cdkJson,
        describeStack: (name) => {
          asked.push(name);
          return Promise.resolve({ outputs: {}, status: 'CREATE_COMPLETE', region: 'r' });
        },
      },
    );

    expect(asked).toEqual(['Custom']);
    expect(outputs.stackName).toBe('Custom');
    await expect(defaultStackName({ cdkJsonPath: join(dir, 'none.json') })).resolves.toBe(
      'StreamEvents',
    );
    // The project's own cdk.json names no stack.
    await expect(defaultStackName()).resolves.toBe('StreamEvents');
  });
});

describe('stackEventHooks', () => {
  it('joins a split hook back into one, its parts in numeric order', () => {
    const hook = sqsEventHook({ queueUrl: STACK.queueUrl, region: STACK.region, patterns: ['*'] });
    const types = ALL_EVENT_TYPES.filter((type) => type.includes('.'));
    const big = webhookEventHook({
      url: STACK.webhookUrl,
      patterns: [...new Set(types.map((t) => `${t.split('.')[0]}.*`))],
    });
    const parts = eventHookOutputs('EventHooksWebhook', big, 500);
    expect(parts.length).toBeGreaterThan(10); // so Part10 must come after Part9, not after Part1
    const outputs: Record<string, string> = { EventHooksSqs: JSON.stringify([hook]) };
    for (const part of [...parts].reverse()) outputs[part.id] = JSON.stringify(part.hooks);

    const hooks = stackEventHooks(stack(outputs));

    expect(hooks.webhook).toEqual(big);
    expect(hooks.sqs.get('')).toEqual({ group: 'all', hook });
    expect(hooks.sns).toBeUndefined();
  });

  it('reads every path and group of the fixture', () => {
    const hooks = stackEventHooks(stack());

    expect(hooks.webhook?.event_types).toEqual([...STACK.webhookTypes]);
    expect(hooks.sns?.sns_topic_arn).toBe(STACK.topicArn);
    expect([...hooks.sqs.values()].map(({ group, hook }) => [group, hook.sqs_queue_url])).toEqual([
      ['all', STACK.queueUrl],
      ['chat', STACK.chatQueueUrl],
    ]);
  });

  it('refuses incomplete or malformed hook outputs', () => {
    const withoutFirst = stackOutputsWithout('EventHooksWebhook');

    expect(() => stackEventHooks(stack(withoutFirst))).toThrow(
      'output EventHooksWebhook is missing while other parts of EventHooksWebhook exist',
    );
    expect(() => stackEventHooks(stack({ EventHooksSns: '{"a":1}' }))).toThrow('not a JSON array');
    expect(() => stackEventHooks(stack({ EventHooksSns: '[' }))).toThrow('is not JSON');
  });
});

describe('desiredEventHooks', () => {
  const hooks = stackEventHooks(stack());

  it('gives the one webhook or SNS hook, and every group queue for sqs unless --group', () => {
    expect(desiredEventHooks(stack(), hooks, 'webhook')).toEqual([hooks.webhook]);
    expect(desiredEventHooks(stack(), hooks, 'sns')).toEqual([hooks.sns]);
    expect(desiredEventHooks(stack(), hooks, 'sqs').map((hook) => hook.sqs_queue_url)).toEqual([
      STACK.queueUrl,
      STACK.chatQueueUrl,
    ]);
    expect(
      desiredEventHooks(stack(), hooks, 'sqs', 'chat').map((hook) => hook.sqs_queue_url),
    ).toEqual([STACK.chatQueueUrl]);
    expect(
      desiredEventHooks(stack(), hooks, 'sqs', 'all').map((hook) => hook.sqs_queue_url),
    ).toEqual([STACK.queueUrl]);
  });

  it('explains a path that is not deployed, and --group off the sqs path', () => {
    const none = stackEventHooks(stack({}));

    expect(() => desiredEventHooks(stack({}), none, 'webhook')).toThrow(
      'has no output EventHooksWebhook: the webhook path is not deployed',
    );
    expect(() => desiredEventHooks(stack({}), none, 'sqs')).toThrow('the sqs path is not deployed');
    expect(() => desiredEventHooks(stack(), hooks, 'sns', 'chat')).toThrow(UsageError);
  });
});

describe('group outputs', () => {
  it('finds the group queues, not their dead-letter queues', () => {
    expect(groupQueues(stack())).toEqual([
      { group: 'all', queueUrl: STACK.queueUrl },
      { group: 'chat', queueUrl: STACK.chatQueueUrl },
    ]);
    expect(groupQueue(stack(), 'chat')).toBe(STACK.chatQueueUrl);
    expect(() => groupQueue(stack(), 'video')).toThrow(
      'no consumer group "video" (groups: all, chat)',
    );
  });

  it("lists every target of the stack's hooks and resources once", () => {
    expect(stackTargets(stack())).toEqual([
      { type: 'webhook', target: STACK.webhookUrl },
      { type: 'sns', target: STACK.topicArn },
      { type: 'sqs', target: STACK.queueUrl },
      { type: 'sqs', target: STACK.chatQueueUrl },
    ]);
  });
});
