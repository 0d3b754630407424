import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConsumerGroupProps } from '../../lib/consumer-groups.js';
import { checkConsumerGroups, DEFAULT_CONSUMER_GROUPS } from '../../contract/consumer-groups.js';
import { groupNames } from '../../contract/names.js';
import { expandPatterns } from '../../lib/routing/expand-patterns.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

interface LambdaFunction {
  readonly Properties: {
    readonly Environment: { readonly Variables: Readonly<Record<string, unknown>> };
    readonly Role: { readonly 'Fn::GetAtt': readonly [string, string] };
    readonly Timeout: number;
  };
}

interface PolicyStatement {
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}

interface PolicyResource {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: readonly PolicyStatement[] };
    readonly Roles?: readonly { readonly Ref: string }[];
    readonly Queues?: readonly { readonly Ref: string }[];
  };
}

interface Output {
  readonly Description: string;
  readonly Value: unknown;
}

/** Most of the catalog by prefix: its hook is too long for one output value. */
const WIDE = [
  'call.*',
  'channel.*',
  'export.*',
  'feeds.*',
  'ingress.*',
  'member.*',
  'message.*',
  'moderation.*',
  'notification.*',
  'reaction.*',
  'reminder.*',
  'review_queue_item.*',
  'thread.*',
  'user.*',
];

const GROUPS: readonly ConsumerGroupProps[] = [
  { name: 'all', events: ['*'] },
  {
    name: 'messages',
    events: ['message.*', 'reaction.new', 'message.new'],
    entry: 'lambda/handlers/index.ts',
    batchSize: 5,
    maxConcurrency: 4,
    maxBatchingWindow: Duration.seconds(2),
    timeout: Duration.seconds(10),
  },
  { name: 'trust-and-safety', events: ['moderation.*', 'custom.thing'] },
  { name: 'wide', events: WIDE },
];

/** Every delivery path, so the topic, its subscriptions and the sqs hooks are all there. */
const EVERY_PATH = { webhook: true, sqs: true, sns: true } as const;

function synth(props: StreamEventsStackProps): { template: Template; stack: StreamEventsStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new StreamEventsStack(app, 'Test', props);
  return { template: Template.fromStack(stack), stack };
}

function functionsByEnv(template: Template, key: string): Record<string, LambdaFunction> {
  const all = template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>;
  return Object.fromEntries(
    Object.entries(all).filter(([, fn]) => key in fn.Properties.Environment.Variables),
  );
}

/** The consumer function of `group`, with its logical id. */
function consumerOf(template: Template, group: string): [string, LambdaFunction] {
  const found = Object.entries(functionsByEnv(template, 'CONSUMER_GROUP')).filter(
    ([, fn]) => fn.Properties.Environment.Variables['CONSUMER_GROUP'] === group,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The logical id of the group's queue (not its DLQ). */
function queueIdOf(template: Template, group: string): string {
  const prefix = group === 'all' ? 'EventsQueue' : `Events${group.replace(/-/g, '')}Queue`;
  const ids = Object.keys(
    template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
  ).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function roleStatements(template: Template, fn: LambdaFunction): PolicyStatement[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles?.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function queuePolicyStatements(template: Template, queueId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::SQS::QueuePolicy') as Record<
    string,
    PolicyResource
  >;
  const found = Object.values(policies).filter((policy) =>
    policy.Properties.Queues?.some((queue) => queue.Ref === queueId),
  );
  expect(found).toHaveLength(1);
  return [...found[0]!.Properties.PolicyDocument.Statement];
}

function outputs(template: Template): Record<string, Output> {
  return template.toJSON().Outputs as Record<string, Output>;
}

/** The JSON an `Fn::Join` builds, with references written as `{Ref:<id>}` / `{GetAtt:<id>.<attr>}`. */
function joinedJson(value: unknown): unknown {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (ref.Ref !== undefined) return `{Ref:${ref.Ref}}`;
      if (ref['Fn::GetAtt'] !== undefined) return `{GetAtt:${ref['Fn::GetAtt'].join('.')}}`;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join('');
  return JSON.parse(text);
}

/** An output value's length once deployed, at most: each reference counted as 256 characters. */
function boundedLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return 256; // a Ref or Fn::GetAtt
  return join[1].reduce<number>((sum, part) => sum + boundedLength(part), 0);
}

/** The event_types of every entry in the outputs whose ids start with `prefix`, in order. */
function hookEventTypes(template: Template, prefix: string): string[] {
  return Object.entries(outputs(template))
    .filter(([id]) => id === prefix || id.startsWith(`${prefix}Part`))
    .flatMap(([, output]) => joinedJson(output.Value) as { event_types: string[] }[])
    .flatMap((hook) => hook.event_types);
}

describe('StreamEventsStack with four consumer groups (the default one among them), every path on', () => {
  const { template, stack } = synth({
    consumers: GROUPS,
    paths: EVERY_PATH,
    snsFilterPolicies: true,
  });
  const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;

  it("keeps the default group's issue-2 ids and gives the others ids from their names", () => {
    expect(queueIdOf(template, 'all')).toBe('EventsQueue7396B467');
    expect(consumerOf(template, 'all')[0]).toBe('ConsumerFunction1B019A9B');
    expect(queueIdOf(template, 'messages')).toMatch(/^EventsmessagesQueue/);
    expect(consumerOf(template, 'messages')[0]).toMatch(/^ConsumermessagesFunction/);
    expect(queueIdOf(template, 'trust-and-safety')).toMatch(/^EventstrustandsafetyQueue/);
  });

  it('gives every group its own queue, DLQ, topic-subscription DLQ, consumer and event source', () => {
    template.resourceCountIs('AWS::SQS::Queue', 12);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 4);
    expect(Object.keys(functionsByEnv(template, 'CONSUMER_GROUP'))).toHaveLength(4);
    for (const group of GROUPS) {
      const [consumerId] = consumerOf(template, group.name);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: consumerId },
        EventSourceArn: { 'Fn::GetAtt': [queueIdOf(template, group.name), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    expect(stack.consumerGroups.map((group) => group.name)).toEqual(GROUPS.map((g) => g.name));
  });

  it("applies a group's own batching, concurrency and timeout, and sizes its queue to it", () => {
    const [consumerId, consumer] = consumerOf(template, 'messages');
    expect(consumer.Properties.Timeout).toBe(10);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumerId },
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 2,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    const queue = template.findResources('AWS::SQS::Queue')[queueIdOf(template, 'messages')] as {
      Properties: { VisibilityTimeout: number };
    };
    expect(queue.Properties.VisibilityTimeout).toBe(60);
  });

  it('tells each consumer its group, patterns, table and ordering', () => {
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0]!;
    for (const group of GROUPS) {
      const [, consumer] = consumerOf(template, group.name);
      expect(consumer.Properties.Environment.Variables).toMatchObject({
        CONSUMER_GROUP: group.name,
        CONSUMER_PATTERNS: JSON.stringify(group.events),
        IDEMPOTENCY_TABLE: { Ref: tableId },
        ORDERING: 'none',
        DEDUPE_TTL_SECONDS: '86400',
      });
    }
  });

  it('shares one idempotency table, each consumer granted only the item operations on it', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0]!;
    for (const group of GROUPS) {
      const [, consumer] = consumerOf(template, group.name);
      const statements = roleStatements(template, consumer);
      expect(statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'))).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
          ],
          Resource: [{ 'Fn::GetAtt': [tableId, 'Arn'] }],
        },
      ]);
      // Its own queue only.
      expect(
        statements.filter((s) => JSON.stringify(s.Action).includes('sqs:')).map((s) => s.Resource),
      ).toEqual([{ 'Fn::GetAtt': [queueIdOf(template, group.name), 'Arn'] }]);
    }
  });

  it('gives the verifier the whole routing table, one route per group, in order', () => {
    const [verifier] = Object.values(functionsByEnv(template, 'ROUTES'));
    expect(joinedJson(verifier!.Properties.Environment.Variables['ROUTES'])).toEqual(
      GROUPS.map((group) => ({
        group: group.name,
        patterns: group.events,
        queueUrl: `{Ref:${queueIdOf(template, group.name)}}`,
        fifo: false,
      })),
    );
  });

  it('lets the verifier send to every group queue, and to no DLQ', () => {
    const [verifier] = Object.values(functionsByEnv(template, 'ROUTES'));
    const sends = roleStatements(template, verifier!).filter((s) =>
      JSON.stringify(s.Action).includes('sqs:'),
    );
    expect(sends).toEqual(
      GROUPS.map((group) => ({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queueIdOf(template, group.name), 'Arn'] },
      })),
    );
  });

  it('gives every group queue the same three statements, naming only that queue and the topic', () => {
    for (const group of GROUPS) {
      const queueId = queueIdOf(template, group.name);
      const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
      expect(queuePolicyStatements(template, queueId)).toEqual([
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Resource: queueArn }),
        {
          Sid: 'AllowStreamDirectDelivery',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::185583345998:root' },
          Action: [
            'sqs:SendMessage',
            'sqs:SendMessageBatch',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
          ],
          Resource: queueArn,
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
          Resource: queueArn,
        },
      ]);
    }
  });

  it("filters each group's subscription on the payload's type, from its patterns", () => {
    template.resourceCountIs('AWS::SNS::Subscription', 4);
    const expected: Record<string, unknown> = {
      all: Match.absent(),
      // message.new is covered by message.*: left out.
      messages: { type: ['reaction.new', { prefix: 'message.' }] },
      'trust-and-safety': { type: ['custom.thing', { prefix: 'moderation.' }] },
      wide: { type: WIDE.map((pattern) => ({ prefix: pattern.slice(0, -1) })) },
    };
    for (const [group, filterPolicy] of Object.entries(expected)) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: topicId },
        Endpoint: { 'Fn::GetAtt': [queueIdOf(template, group), 'Arn'] },
        RawMessageDelivery: true,
        FilterPolicy: filterPolicy,
        FilterPolicyScope: group === 'all' ? Match.absent() : 'MessageBody',
      });
    }
  });

  it('outputs each group queue: the default unprefixed, the others prefixed by name', () => {
    const ids = Object.keys(outputs(template)).filter((id) => !id.startsWith('EventHooks'));
    expect(ids.sort()).toEqual(
      [
        'WebhookUrl',
        'SecretArn',
        'TopicArn',
        'QueueUrl',
        'QueueArn',
        'DeadLetterQueueUrl',
        'TopicDeadLettersUrl',
        'MessagesQueueUrl',
        'MessagesQueueArn',
        'MessagesDeadLetterQueueUrl',
        'MessagesTopicDeadLettersUrl',
        'TrustAndSafetyQueueUrl',
        'TrustAndSafetyQueueArn',
        'TrustAndSafetyDeadLetterQueueUrl',
        'TrustAndSafetyTopicDeadLettersUrl',
        'WideQueueUrl',
        'WideQueueArn',
        'WideDeadLetterQueueUrl',
        'WideTopicDeadLettersUrl',
        'BeforeMessageSendUrl',
        'CustomCommandsUrl',
        'PendingMessagesUrl',
        'LargeEventBucketName',
        'AlarmTopicArn',
        'DashboardUrl',
      ].sort(),
    );
    const messagesQueue = queueIdOf(template, 'messages');
    template.hasOutput('MessagesQueueUrl', {
      Description: Match.stringLikeRegexp('"messages"'),
      Value: { Ref: messagesQueue },
    });
    template.hasOutput('MessagesQueueArn', { Value: { 'Fn::GetAtt': [messagesQueue, 'Arn'] } });
    template.hasOutput('MessagesDeadLetterQueueUrl', {
      Value: { Ref: Match.stringLikeRegexp('^EventsmessagesDead') },
    });
  });

  it('outputs one sqs hook per group queue, with the types its patterns expand to', () => {
    const [messages] = joinedJson(outputs(template)['EventHooksSqsMessages']!.Value) as object[];
    expect(messages).toEqual({
      hook_type: 'sqs',
      enabled: true,
      sqs_queue_url: `{Ref:${queueIdOf(template, 'messages')}}`,
      sqs_region: '{Ref:AWS::Region}',
      sqs_auth_type: 'resource',
      event_types: expect.arrayContaining(['message.new', 'message.updated', 'reaction.new']),
    });
    expect(hookEventTypes(template, 'EventHooksSqs')).toEqual([]);
    expect(hookEventTypes(template, 'EventHooksSqsMessages')).not.toContain('reaction.deleted');
    // The custom type is not in the catalog, so no hook can list it (a warning says so).
    expect(hookEventTypes(template, 'EventHooksSqsTrustAndSafety')).not.toContain('custom.thing');
  });

  it('splits a hook too long for one output into parts that together list each type once', () => {
    const ids = Object.keys(outputs(template)).filter((id) => id.startsWith('EventHooksSqsWide'));
    expect(ids.sort()).toEqual(['EventHooksSqsWide', 'EventHooksSqsWidePart2']);
    template.hasOutput('EventHooksSqsWidePart2', {
      Description: Match.stringLikeRegexp('part 2 of 2, register every part'),
    });
    expect(hookEventTypes(template, 'EventHooksSqsWide')).toEqual(expandPatterns(WIDE));
    for (const id of ids) {
      const hooks = joinedJson(outputs(template)[id]!.Value) as { sqs_queue_url: string }[];
      expect(hooks.map((hook) => hook.sqs_queue_url)).toEqual([
        `{Ref:${queueIdOf(template, 'wide')}}`,
      ]);
    }
  });

  it('keeps every output value within 4,096 characters, whatever its references resolve to', () => {
    for (const [id, output] of Object.entries(outputs(template))) {
      expect(boundedLength(output.Value), id).toBeLessThanOrEqual(4096);
    }
  });

  it("subscribes the webhook and the topic to every event, since one group takes '*'", () => {
    expect(hookEventTypes(template, 'EventHooksWebhook')).toEqual([]);
    expect(hookEventTypes(template, 'EventHooksSns')).toEqual([]);
  });

  it('warns at synth about a pattern that matches no catalog type', () => {
    Annotations.fromStack(stack).hasWarning(
      '/Test',
      Match.stringLikeRegexp(
        'consumer group "trust-and-safety": "custom.thing" matches no event type',
      ),
    );
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(1);
  });
});

describe('StreamEventsStack with groups but no default group, every path on', () => {
  const { template, stack } = synth({
    consumers: [
      { name: 'messages', events: ['message.new', 'reaction.*'] },
      { name: 'custom', events: ['custom.only'] },
    ],
    paths: EVERY_PATH,
  });

  it('has no default queue and no unprefixed queue outputs', () => {
    expect(
      Object.keys(template.findResources('AWS::SQS::Queue')).some((id) =>
        id.startsWith('EventsQueue'),
      ),
    ).toBe(false);
    expect(Object.keys(outputs(template))).not.toContain('QueueUrl');
    expect(Object.keys(outputs(template))).toEqual(
      expect.arrayContaining(['MessagesQueueUrl', 'CustomQueueUrl']),
    );
  });

  it('registers the webhook and the topic for the union of the groups’ types', () => {
    const union = ['message.new', 'reaction.deleted', 'reaction.new', 'reaction.updated'];
    expect(hookEventTypes(template, 'EventHooksWebhook')).toEqual(union);
    expect(hookEventTypes(template, 'EventHooksSns')).toEqual(union);
  });

  it('writes no sqs hook for a group whose patterns match no catalog type, and says why', () => {
    expect(Object.keys(outputs(template))).not.toContain('EventHooksSqsCustom');
    Annotations.fromStack(stack).hasWarning(
      '/Test',
      Match.stringLikeRegexp(
        'no EventHooksSqsCustom output: .*Register the hook for consumer group "custom"',
      ),
    );
  });
});

describe('consumer group validation', () => {
  const root = mkdtempSync(join(tmpdir(), 'stream-events-groups-'));
  mkdirSync(join(root, 'lambda/handlers'), { recursive: true });
  writeFileSync(join(root, 'lambda/handlers/index.ts'), 'export const handler = 1;\n');
  writeFileSync(join(root, 'lambda/handlers/messages.ts'), 'export const handler = 1;\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('accepts the default table and a valid custom one', () => {
    expect(() => checkConsumerGroups(DEFAULT_CONSUMER_GROUPS, root)).not.toThrow();
    expect(() =>
      checkConsumerGroups(
        [
          { name: 'all', events: ['*'] },
          { name: 'messages', events: ['message.*'], entry: 'lambda/handlers/messages.ts' },
          { name: 'abs', events: ['x'], entry: join(root, 'lambda/handlers/messages.ts') },
        ],
        root,
      ),
    ).not.toThrow();
  });

  it.each<[string, ConsumerGroupProps[], RegExp]>([
    ['no group', [], /consumers must list at least one consumer group/],
    [
      'an invalid name',
      [{ name: 'Chat Messages', events: ['*'] }],
      /consumers\[0\]: consumer group name "Chat Messages" must be 1-40 characters/,
    ],
    [
      'a duplicate name',
      [
        { name: 'a', events: ['*'] },
        { name: 'a', events: ['message.*'] },
      ],
      /consumers\[1\] \("a"\): the name is already used by consumers\[0\]; group names must be unique/,
    ],
    [
      'no pattern',
      [{ name: 'a', events: [] }],
      /consumers\[0\] \("a"\): events must list at least one event pattern/,
    ],
    [
      'a malformed pattern',
      [{ name: 'a', events: ['message*'] }],
      /consumers\[0\] \("a"\): "message\*" is not an event pattern/,
    ],
    [
      'a missing entry file',
      [{ name: 'a', events: ['*'], entry: 'lambda/handlers/mesages.ts' }],
      /consumers\[0\] \("a"\): entry "lambda\/handlers\/mesages.ts" is not a file \(looked for .*lambda\/handlers\/mesages.ts; a relative entry starts at the repository root\)/,
    ],
    [
      'a directory as entry',
      [{ name: 'a', events: ['*'], entry: 'lambda/handlers' }],
      /entry "lambda\/handlers" is not a file/,
    ],
  ])('rejects %s', (_name, groups, message) => {
    expect(() => checkConsumerGroups(groups, root)).toThrow(message);
  });

  it('runs at synth, before anything is created', () => {
    expect(() => synth({ consumers: [{ name: 'a', events: ['nope*'] }] })).toThrow(
      /consumers\[0\] \("a"\): "nope\*" is not an event pattern/,
    );
  });

  it('names outputs from group names, and fails clearly when two would clash', () => {
    expect(groupNames('all')).toEqual({
      queueId: 'Events',
      consumerId: 'Consumer',
      outputPrefix: '',
    });
    expect(groupNames('chat-messages')).toEqual({
      queueId: 'Events-chat-messages',
      consumerId: 'Consumer-chat-messages',
      outputPrefix: 'ChatMessages',
    });
    // "dead-letter" → DeadLetterQueueUrl, the default group's DLQ output.
    expect(() =>
      synth({
        consumers: [
          { name: 'all', events: ['*'] },
          { name: 'dead-letter', events: ['*'] },
        ],
      }),
    ).toThrow(/two outputs would be named "DeadLetterQueueUrl"; .* rename the group that clashes/);
  });
});
