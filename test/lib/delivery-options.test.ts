import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { ConsumerGroupProps } from '../../lib/consumer-groups.js';
import { deliveryLogicalIds } from '../support/delivery-resources.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

interface LambdaFunction {
  readonly Properties: {
    readonly Environment: { readonly Variables: Readonly<Record<string, unknown>> };
  };
}

interface QueuePolicy {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: readonly { readonly Sid?: string }[] };
  };
}

const GROUPS: readonly ConsumerGroupProps[] = [
  { name: 'all', events: ['*'] },
  { name: 'messages', events: ['message.*', 'reaction.new'] },
];

/** Every delivery path: the default is the webhook only, so the direct paths are named. */
const EVERY_PATH = { webhook: true, sqs: true, sns: true } as const;

function synth(props: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

function outputIds(template: Template): string[] {
  return Object.keys(template.toJSON().Outputs as object);
}

function functionsWithEnv(template: Template, key: string): LambdaFunction[] {
  const all = template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>;
  return Object.values(all).filter((fn) => key in fn.Properties.Environment.Variables);
}

/** The JSON an `Fn::Join` builds, with references written as `{Ref:<id>}`. */
function joinedJson(value: unknown): unknown {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => (typeof part === 'string' ? part : `{Ref:${(part as { Ref: string }).Ref}}`))
    .join('');
  return JSON.parse(text);
}

/** The Sids of every queue policy statement in the template. */
function queuePolicySids(template: Template): (string | undefined)[] {
  const policies = template.findResources('AWS::SQS::QueuePolicy') as Record<string, QueuePolicy>;
  return Object.values(policies).flatMap((policy) =>
    policy.Properties.PolicyDocument.Statement.map((statement) => statement.Sid),
  );
}

describe('paths.webhook off (sqs and sns on)', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new StreamEventsStack(app, 'Test', {
    consumers: GROUPS,
    paths: { ...EVERY_PATH, webhook: false },
    secret: 'stream/api',
  });
  const template = Template.fromStack(stack);

  it('creates no HTTP API, verifier or secret', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(functionsWithEnv(template, 'ROUTES')).toHaveLength(0);
    expect(functionsWithEnv(template, 'CONSUMER_GROUP')).toHaveLength(2);
  });

  it('warns that a secret passed in is not used', () => {
    Annotations.fromStack(stack).hasWarning(
      '/Test',
      Match.stringLikeRegexp('secret is ignored: the webhook path.* is off'),
    );
  });

  it('outputs no webhook URL, secret or webhook hook, and keeps the others', () => {
    expect(outputIds(template).filter((id) => /Webhook|Secret/.test(id))).toEqual([]);
    expect(outputIds(template)).toEqual(
      expect.arrayContaining(['QueueUrl', 'TopicArn', 'EventHooksSqs', 'EventHooksSns']),
    );
  });
});

describe('paths.sqs off (webhook and sns on)', () => {
  const template = synth({ consumers: GROUPS, paths: { ...EVERY_PATH, sqs: false } });

  it("gives Stream's account no statement in any queue policy", () => {
    expect(queuePolicySids(template)).not.toContain('AllowStreamDirectDelivery');
    expect(JSON.stringify(template.findResources('AWS::SQS::QueuePolicy'))).not.toContain(
      '185583345998',
    );
  });

  it('outputs no sqs hooks, but still the queues (the webhook and topic feed them)', () => {
    expect(outputIds(template).filter((id) => id.startsWith('EventHooksSqs'))).toEqual([]);
    expect(outputIds(template)).toEqual(
      expect.arrayContaining([
        'QueueUrl',
        'MessagesQueueUrl',
        'EventHooksWebhook',
        'EventHooksSns',
      ]),
    );
  });

  it('keeps the topic subscriptions and their queue policy statements', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*' })]),
      },
    });
  });
});

describe('paths.sns off (webhook and sqs on)', () => {
  const template = synth({ consumers: GROUPS, paths: { ...EVERY_PATH, sns: false } });

  it('creates no topic, key, topic policy or subscription for Stream (only the alarms have some)', () => {
    for (const type of ['AWS::SNS::Topic', 'AWS::SNS::TopicPolicy', 'AWS::KMS::Key']) {
      expect(deliveryLogicalIds(template, type)).toEqual([]);
    }
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('leaves no statement for SNS in the queue policies', () => {
    expect(JSON.stringify(template.findResources('AWS::SQS::QueuePolicy'))).not.toContain(
      'sns.amazonaws.com',
    );
  });

  it('outputs no topic ARN or sns hook', () => {
    const streamOutputs = outputIds(template).filter((id) => id !== 'AlarmTopicArn');
    expect(streamOutputs.filter((id) => /Topic|Sns/.test(id))).toEqual([]);
  });
});

describe('sns path on, snsFilterPolicies left at its default (off)', () => {
  const template = synth({ consumers: GROUPS, paths: { sns: true } });

  it('subscribes every queue with raw delivery and no filter policy (gzip or base64 hides type)', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.allResourcesProperties('AWS::SNS::Subscription', {
      RawMessageDelivery: true,
      FilterPolicy: Match.absent(),
      FilterPolicyScope: Match.absent(),
    });
  });

  it('still tells each consumer its patterns, so it drops the events outside them', () => {
    const patterns = functionsWithEnv(template, 'CONSUMER_GROUP').map(
      (fn) => fn.Properties.Environment.Variables['CONSUMER_PATTERNS'],
    );
    expect(patterns.sort()).toEqual(['["*"]', '["message.*","reaction.new"]']);
  });
});

describe("ordering 'per-entity' (webhook only)", () => {
  const template = synth({
    consumers: GROUPS,
    ordering: 'per-entity',
    paths: { sqs: false, sns: false },
  });

  it('makes every queue and DLQ FIFO: no content dedupe, per-group dedupe and throughput', () => {
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.allResourcesProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      MaximumMessageSize: 1_048_576,
    });
  });

  it('keeps the default queue at its issue-2 logical id (the change of type replaces it)', () => {
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toContain('EventsQueue7396B467');
  });

  it('tells the verifier every route is FIFO', () => {
    const [verifier] = functionsWithEnv(template, 'ROUTES');
    const routes = joinedJson(verifier!.Properties.Environment.Variables['ROUTES']) as {
      group: string;
      fifo: boolean;
    }[];
    expect(routes.map(({ group, fifo }) => ({ group, fifo }))).toEqual([
      { group: 'all', fifo: true },
      { group: 'messages', fifo: true },
    ]);
  });

  it('tells each consumer to keep entity order, and feeds it without a batching window', () => {
    for (const consumer of functionsWithEnv(template, 'CONSUMER_GROUP')) {
      expect(consumer.Properties.Environment.Variables['ORDERING']).toBe('per-entity');
    }
    template.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('gives no queue a statement for Stream or SNS, and outputs only the webhook hook', () => {
    const policies = JSON.stringify(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).not.toContain('185583345998');
    expect(policies).not.toContain('sns.amazonaws.com');
    expect(outputIds(template).filter((id) => id.startsWith('EventHooks'))).toEqual([
      'EventHooksWebhook',
    ]);
  });
});

describe("ordering 'per-entity' validation", () => {
  it.each<[string, StreamEventsStackProps, RegExp]>([
    [
      'with every path on',
      { ordering: 'per-entity', paths: EVERY_PATH },
      /ordering 'per-entity' needs FIFO queues, .*Stream's direct SQS and SNS deliveries set none, so the sqs and sns path\(s\) cannot feed them\. Use per-entity ordering with the webhook path only: paths: \{ sqs: false, sns: false \}/,
    ],
    [
      'with the sqs path on',
      { ordering: 'per-entity', paths: { sqs: true } },
      /so the sqs path\(s\) cannot feed them/,
    ],
    [
      'with the sns path on',
      { ordering: 'per-entity', paths: { sns: true } },
      /so the sns path\(s\) cannot feed them/,
    ],
    [
      'with a batching window',
      {
        ordering: 'per-entity',
        paths: { sqs: false, sns: false },
        maxBatchingWindow: Duration.seconds(1),
      },
      /Consumer: maxBatchingWindow cannot be set on a FIFO queue/,
    ],
    [
      'with more than 10 records per batch',
      { ordering: 'per-entity', paths: { sqs: false, sns: false }, batchSize: 11 },
      /Consumer: batchSize must be an integer from 1 to 10 on a FIFO queue, got 11/,
    ],
  ])('fails at synth %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('synthesizes with the default paths (the webhook only)', () => {
    const template = synth({ consumers: GROUPS, ordering: 'per-entity' });
    template.allResourcesProperties('AWS::SQS::Queue', { FifoQueue: true });
  });
});
