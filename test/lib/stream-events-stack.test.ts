import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';
import { deliveryLogicalIds } from '../support/delivery-resources.js';

interface LambdaFunction {
  readonly Properties: {
    readonly Environment: { readonly Variables: Readonly<Record<string, unknown>> };
    readonly Role: { readonly 'Fn::GetAtt': readonly [string, string] };
    readonly Timeout: number;
  };
}

interface PolicyStatement {
  readonly Effect: string;
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

/** Logical ids of the issue-2 deployment: they name stateful resources and must never change. */
const ISSUE_2_LOGICAL_IDS = {
  queue: 'EventsQueue7396B467',
  deadLetterQueue: 'EventsDead8436A46E',
  consumer: 'ConsumerFunction1B019A9B',
  verifier: 'WebhookVerifier15739A10',
  secret: 'StreamSecretCF12BE11',
  api: 'WebhookApi427E2EB3',
};

const STREAM_ACCOUNT = '185583345998';
const STREAM_ROOT = `arn:aws:iam::${STREAM_ACCOUNT}:root`;

/** Every delivery path: the default is the webhook only, so the direct paths are named. */
const EVERY_PATH = { webhook: true, sqs: true, sns: true } as const;

const VERIFIER_ENV = [
  'LARGE_EVENT_BUCKET',
  'MAX_BODY_BYTES',
  'MAX_INFLATED_BYTES',
  'MAX_QUEUE_MESSAGE_BYTES',
  'NODE_OPTIONS',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
  'ROUTES',
  'STREAM_SECRET_ID',
];
const CONSUMER_ENV = [
  'CONSUMER_GROUP',
  'CONSUMER_PATTERNS',
  'DEDUPE_TTL_SECONDS',
  'IDEMPOTENCY_TABLE',
  'LARGE_EVENT_BUCKET',
  'MAX_INFLATED_BYTES',
  'NODE_OPTIONS',
  'ORDERING',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
];

/** Synthesizes the stack without running esbuild (the assertions are on the template only). */
function synth(props?: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

/**
 * The one Lambda function whose environment has `key`: `ROUTES` for the verifier (the hook function
 * reads `STREAM_SECRET_ID` too), `CONSUMER_GROUP` for the consumer.
 */
function functionWithEnv(template: Template, key: string): [string, LambdaFunction] {
  const all = template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>;
  const found = Object.entries(all).filter(([, fn]) => key in fn.Properties.Environment.Variables);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The logical id of the single resource of `type` (outside the alarms and dashboard). */
function onlyLogicalId(template: Template, type: string): string {
  const ids = deliveryLogicalIds(template, type);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** The statements of the IAM policies attached to the function's role. */
function roleStatements(template: Template, fn: LambdaFunction): PolicyStatement[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles?.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The statements of the queue policy of the queue with logical id `queueId`. */
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

/** The only resource of `type`, as it is in the template. */
function onlyResource(template: Template, type: string): PolicyResource {
  return template.findResources(type)[onlyLogicalId(template, type)] as PolicyResource;
}

/** Every value of a `SecretString` key anywhere in the template. */
function secretStrings(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(secretStrings);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'SecretString' ? [value] : secretStrings(value),
  );
}

/**
 * The JSON text an `Fn::Join` builds, parsed, with each reference written as `{Ref:<id>}` or
 * `{GetAtt:<id>.<attr>}` (text that is safe inside a JSON string).
 */
function joinedJson(value: unknown): unknown {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  expect(join[0]).toBe('');
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

describe('StreamEventsStack with default props (one group, the webhook path only, a new secret)', () => {
  const template = synth();
  const queueId = ISSUE_2_LOGICAL_IDS.queue;
  const dlqId = ISSUE_2_LOGICAL_IDS.deadLetterQueue;
  const tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
  const largeEventObjects = {
    'Fn::Join': [
      '',
      [{ 'Fn::GetAtt': [onlyLogicalId(template, 'AWS::S3::Bucket'), 'Arn'] }, '/events/*'],
    ],
  };

  it("keeps the issue-2 logical ids of the default group's queue, DLQ, functions, secret and API", () => {
    const ids = Object.keys(template.toJSON().Resources as object);
    expect(ids).toEqual(expect.arrayContaining(Object.values(ISSUE_2_LOGICAL_IDS)));
    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queueIds.sort()).toEqual([dlqId, queueId]);
    expect(queueIds.every((id) => id.startsWith('Events'))).toBe(true);
  });

  it('routes POST /webhook to the verifier with payload format 2.0', () => {
    const [verifierId] = functionWithEnv(template, 'ROUTES');
    expect(verifierId.startsWith('WebhookVerifier')).toBe(true);
    // POST /webhook and the four synchronous hook routes (on by default with the webhook path).
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 5);
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(
      [
        'POST /webhook',
        'POST /hooks/before-message-send',
        'POST /hooks/custom-commands',
        'POST /hooks/pending-messages/PassOnPendingMessage',
        'POST /hooks/pending-messages/DeletedPendingMessage',
      ].sort(),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /webhook',
      Target: {
        'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('Verifier') }]],
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [verifierId, 'Arn'] },
    });
  });

  it('throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
    });
  });

  it('runs every function (verifier, consumer, hooks) on nodejs22.x, arm64, with source maps enabled', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('answers Stream within its 6 s wait: verifier timeout 5 s, 256 MB', () => {
    const [, verifier] = functionWithEnv(template, 'ROUTES');
    expect(verifier.Properties).toMatchObject({ Timeout: 5, MemorySize: 256 });
  });

  it('keeps each log group (3 functions, the API access log) for one month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.allResourcesProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
    });
  });

  it('accepts 1 MiB messages, encrypted with SSE-SQS, kept 14 days, standard (not FIFO)', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      MaximumMessageSize: 1_048_576,
      SqsManagedSseEnabled: true,
      KmsMasterKeyId: Match.absent(),
      MessageRetentionPeriod: 1_209_600,
      FifoQueue: Match.absent(),
    });
  });

  it('moves a message to the DLQ after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('gives every queue policy only the TLS guard: no statement for Stream or SNS', () => {
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    for (const id of [queueId, dlqId]) {
      expect(queuePolicyStatements(template, id)).toEqual([
        {
          Effect: 'Deny',
          Action: 'sqs:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: { 'Fn::GetAtt': [id, 'Arn'] },
        },
      ]);
    }
    const policies = JSON.stringify(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).not.toContain(STREAM_ACCOUNT);
    expect(policies).not.toContain('sns.amazonaws.com');
  });

  it('creates no topic, key, topic policy or subscription (the sns path is off)', () => {
    for (const type of [
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
      'AWS::SNS::Subscription',
      'AWS::KMS::Key',
    ]) {
      expect(deliveryLogicalIds(template, type)).toEqual([]);
    }
    expect(JSON.stringify(template.toJSON())).not.toContain(STREAM_ACCOUNT);
  });

  it('keeps the idempotency claims in an on-demand table keyed by id, with TTL and PITR', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled false means DynamoDB's AWS-owned key (encryption at rest is always on).
        SSESpecification: { SSEEnabled: false },
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('feeds the consumer in batches, reporting partial batch failures', () => {
    const [consumerId] = functionWithEnv(template, 'CONSUMER_GROUP');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumerId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
    });
  });

  it('gives the queue a visibility timeout of at least 6 × the consumer timeout', () => {
    const [, consumer] = functionWithEnv(template, 'CONSUMER_GROUP');
    const queue = template.findResources('AWS::SQS::Queue')[queueId] as {
      Properties: { VisibilityTimeout: number };
    };
    expect(consumer.Properties.Timeout).toBe(30);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * consumer.Properties.Timeout,
    );
  });

  it('gives the verifier exactly its configuration variables, and the secret only by ARN', () => {
    const [, verifier] = functionWithEnv(template, 'ROUTES');
    const env = verifier.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(VERIFIER_ENV);
    expect(env).toMatchObject({
      STREAM_SECRET_ID: { Ref: ISSUE_2_LOGICAL_IDS.secret },
      MAX_BODY_BYTES: '4669440',
      MAX_INFLATED_BYTES: '16777216',
      MAX_QUEUE_MESSAGE_BYTES: '1048576',
      POWERTOOLS_SERVICE_NAME: 'stream-events-verifier',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'StreamEvents/Test',
    });
  });

  it('gives the verifier the routing table: the one group, every event, its queue', () => {
    const [, verifier] = functionWithEnv(template, 'ROUTES');
    expect(joinedJson(verifier.Properties.Environment.Variables['ROUTES'])).toEqual([
      { group: 'all', patterns: ['*'], queueUrl: `{Ref:${queueId}}`, fifo: false },
    ]);
  });

  it('gives the consumer exactly its configuration variables', () => {
    const [, consumer] = functionWithEnv(template, 'CONSUMER_GROUP');
    const env = consumer.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(CONSUMER_ENV);
    expect(env).toMatchObject({
      CONSUMER_GROUP: 'all',
      CONSUMER_PATTERNS: '["*"]',
      IDEMPOTENCY_TABLE: { Ref: tableId },
      ORDERING: 'none',
      DEDUPE_TTL_SECONDS: '86400',
      MAX_INFLATED_BYTES: '16777216',
      POWERTOOLS_SERVICE_NAME: 'stream-events-consumer',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'StreamEvents/Test',
    });
  });

  it('creates the secret as an empty map, the only SecretString in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: '{}',
      GenerateSecretString: Match.absent(),
    });
    expect(secretStrings(template.toJSON())).toEqual(['{}']);
  });

  it('lets the verifier send to the queue and read the secret, nothing more', () => {
    const [, verifier] = functionWithEnv(template, 'ROUTES');
    expect(roleStatements(template, verifier)).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: ISSUE_2_LOGICAL_IDS.secret },
      },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: largeEventObjects },
    ]);
  });

  it('lets the consumer claim in the table (item operations only) and consume its queue', () => {
    const [, consumer] = functionWithEnv(template, 'CONSUMER_GROUP');
    expect(roleStatements(template, consumer)).toEqual([
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
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: largeEventObjects },
    ]);
  });

  it('outputs the webhook URL, the queues and the secret ARN, with descriptions, and no topic ARN', () => {
    template.hasOutput('WebhookUrl', {
      Description: Match.stringLikeRegexp('.+'),
      Value: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [ISSUE_2_LOGICAL_IDS.api, 'ApiEndpoint'] }, '/webhook']],
      },
    });
    template.hasOutput('QueueUrl', { Description: Match.anyValue(), Value: { Ref: queueId } });
    template.hasOutput('QueueArn', {
      Description: Match.anyValue(),
      Value: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    template.hasOutput('DeadLetterQueueUrl', {
      Description: Match.anyValue(),
      Value: { Ref: dlqId },
    });
    template.hasOutput('SecretArn', {
      Description: Match.anyValue(),
      Value: { Ref: ISSUE_2_LOGICAL_IDS.secret },
    });
    expect(Object.keys(template.toJSON().Outputs as object)).not.toContain('TopicArn');
  });

  it('outputs the event_hooks entry of the webhook only, every event ([])', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).filter((id) => id.startsWith('EventHooks'))).toEqual([
      'EventHooksWebhook',
    ]);
    expect(joinedJson(outputs['EventHooksWebhook']!.Value)).toEqual([
      {
        hook_type: 'webhook',
        enabled: true,
        webhook_url: `{GetAtt:${ISSUE_2_LOGICAL_IDS.api}.ApiEndpoint}/webhook`,
        event_types: [],
      },
    ]);
  });

  it('sets no physical names', () => {
    template.allResourcesProperties('AWS::SQS::Queue', { QueueName: Match.absent() });
    template.allResourcesProperties('AWS::Lambda::Function', { FunctionName: Match.absent() });
    template.allResourcesProperties('AWS::SecretsManager::Secret', { Name: Match.absent() });
    template.allResourcesProperties('AWS::DynamoDB::Table', { TableName: Match.absent() });
  });
});

describe('StreamEventsStack with every path on (webhook, sqs, sns)', () => {
  const template = synth({ paths: EVERY_PATH });
  const queueId = ISSUE_2_LOGICAL_IDS.queue;
  const dlqId = ISSUE_2_LOGICAL_IDS.deadLetterQueue;
  const topicId = onlyLogicalId(template, 'AWS::SNS::Topic');

  it('keeps the issue-2 logical ids', () => {
    const ids = Object.keys(template.toJSON().Resources as object);
    expect(ids).toEqual(expect.arrayContaining(Object.values(ISSUE_2_LOGICAL_IDS)));
  });

  it('lets only TLS, Stream (direct) and the topic (with its ARN as source) write to the queue', () => {
    const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
    expect(queuePolicyStatements(template, queueId)).toEqual([
      {
        Effect: 'Deny',
        Action: 'sqs:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: queueArn,
      },
      {
        Sid: 'AllowStreamDirectDelivery',
        Effect: 'Allow',
        Principal: { AWS: STREAM_ROOT },
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
  });

  it('gives the DLQ only the TLS guard: nobody outside writes to it', () => {
    expect(queuePolicyStatements(template, dlqId)).toEqual([
      {
        Effect: 'Deny',
        Action: 'sqs:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      },
    ]);
  });

  it('encrypts the topic with a rotated customer-managed key', () => {
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it("lets Stream's account use the key only through SNS, for this account's topics", () => {
    const key = template.findResources('AWS::KMS::Key')[
      onlyLogicalId(template, 'AWS::KMS::Key')
    ] as {
      Properties: { KeyPolicy: { Statement: PolicyStatement[] } };
    };
    const statements = key.Properties.KeyPolicy.Statement;
    // CDK's default statement: the owning account administers the key through IAM.
    expect(statements[0]).toEqual({
      Effect: 'Allow',
      Principal: {
        AWS: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
          ],
        },
      },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(statements.slice(1)).toEqual([
      {
        Sid: 'AllowStreamToPublishToTheTopic',
        Effect: 'Allow',
        Principal: { AWS: STREAM_ROOT },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
            },
          },
          ArnLike: {
            'kms:EncryptionContext:aws:sns:topicArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':sns:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':*',
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  it("lets only Stream's account publish to the topic, and only over TLS", () => {
    const policy = onlyResource(template, 'AWS::SNS::TopicPolicy');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { Ref: topicId },
      },
      {
        Sid: 'AllowStreamToPublish',
        Effect: 'Allow',
        Principal: { AWS: STREAM_ROOT },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
      },
    ]);
  });

  it("subscribes the group's queue with raw delivery and no filter policy (it takes '*')", () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
      FilterPolicy: Match.absent(),
      FilterPolicyScope: Match.absent(),
    });
  });

  it('outputs the topic ARN besides the webhook URL, queues and secret ARN', () => {
    template.hasOutput('TopicArn', { Description: Match.anyValue(), Value: { Ref: topicId } });
    expect(Object.keys(template.toJSON().Outputs as object)).toEqual(
      expect.arrayContaining([
        'WebhookUrl',
        'QueueUrl',
        'QueueArn',
        'DeadLetterQueueUrl',
        'SecretArn',
        'BeforeMessageSendUrl',
        'CustomCommandsUrl',
        'PendingMessagesUrl',
      ]),
    );
  });

  it("outputs the URL of the topic subscription's dead-letter queue", () => {
    const [undeliveredId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      id.startsWith('TopicUndeliveredall'),
    );
    template.hasOutput('TopicDeadLettersUrl', {
      Description: Match.stringLikeRegexp('the SNS topic could not deliver'),
      Value: { Ref: undeliveredId },
    });
  });

  it('outputs the event_hooks entry of each path, every event ([]), with resource auth', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(
      Object.keys(outputs)
        .filter((id) => id.startsWith('EventHooks'))
        .sort(),
    ).toEqual(['EventHooksSns', 'EventHooksSqs', 'EventHooksWebhook']);
    expect(joinedJson(outputs['EventHooksWebhook']!.Value)).toEqual([
      {
        hook_type: 'webhook',
        enabled: true,
        webhook_url: `{GetAtt:${ISSUE_2_LOGICAL_IDS.api}.ApiEndpoint}/webhook`,
        event_types: [],
      },
    ]);
    expect(joinedJson(outputs['EventHooksSqs']!.Value)).toEqual([
      {
        hook_type: 'sqs',
        enabled: true,
        sqs_queue_url: `{Ref:${queueId}}`,
        sqs_region: '{Ref:AWS::Region}',
        sqs_auth_type: 'resource',
        event_types: [],
      },
    ]);
    expect(joinedJson(outputs['EventHooksSns']!.Value)).toEqual([
      {
        hook_type: 'sns',
        enabled: true,
        sns_topic_arn: `{Ref:${topicId}}`,
        sns_region: '{Ref:AWS::Region}',
        sns_auth_type: 'resource',
        event_types: [],
      },
    ]);
  });

  it('names no topic', () => {
    template.allResourcesProperties('AWS::SNS::Topic', { TopicName: Match.absent() });
  });
});

describe('StreamEventsStack with an existing secret and custom props', () => {
  const template = synth({
    secret: 'stream/api-secrets',
    maxReceiveCount: 3,
    batchSize: 25,
    maxBatchingWindow: Duration.seconds(5),
    consumerTimeout: Duration.seconds(60),
    maxBodyBytes: 1_000_000,
    maxInflatedBytes: 2_000_000,
    dedupeWindow: Duration.hours(2),
  });
  const queueId = ISSUE_2_LOGICAL_IDS.queue;

  it('creates no secret and has no SecretString at all', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(secretStrings(template.toJSON())).toEqual([]);
  });

  it('names the existing secret by ARN in the verifier env, with the same variable names', () => {
    const [, verifier] = functionWithEnv(template, 'ROUTES');
    const env = verifier.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(VERIFIER_ENV);
    expect(JSON.stringify(env['STREAM_SECRET_ID'])).toMatch(/:secret:stream\/api-secrets"/);
    expect(env).toMatchObject({ MAX_BODY_BYTES: '1000000', MAX_INFLATED_BYTES: '2000000' });
  });

  it('grants read on that secret (any version suffix) and nothing else of Secrets Manager', () => {
    const [, verifier] = functionWithEnv(template, 'ROUTES');
    const secretStatements = roleStatements(template, verifier).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    expect(secretStatements[0]!.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(secretStatements[0]!.Resource)).toMatch(
      /:secret:stream\/api-secrets-\?\?\?\?\?\?"/,
    );
  });

  it('passes the queue, batching, timeout, size and dedupe props through', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
      VisibilityTimeout: 360,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 25,
      MaximumBatchingWindowInSeconds: 5,
    });
    const [, consumer] = functionWithEnv(template, 'CONSUMER_GROUP');
    expect(consumer.Properties.Timeout).toBe(60);
    expect(consumer.Properties.Environment.Variables).toMatchObject({
      DEDUPE_TTL_SECONDS: '7200',
      MAX_INFLATED_BYTES: '2000000',
    });
  });
});

describe('StreamEventsStack maxEventAge', () => {
  it('passes it to the verifier in seconds, and leaves it out by default', () => {
    const [, verifier] = functionWithEnv(synth({ maxEventAge: Duration.minutes(30) }), 'ROUTES');
    const [, byDefault] = functionWithEnv(synth(), 'ROUTES');

    expect(verifier.Properties.Environment.Variables['MAX_EVENT_AGE_SECONDS']).toBe('1800');
    expect(byDefault.Properties.Environment.Variables).not.toHaveProperty('MAX_EVENT_AGE_SECONDS');
  });

  it('warns that it is ignored without the webhook path (only the verifier checks it)', () => {
    const stack = new StreamEventsStack(
      new App({ context: { 'aws:cdk:bundling-stacks': [] } }),
      'NoWebhook',
      { paths: { webhook: false, sqs: true }, maxEventAge: Duration.minutes(5) },
    );

    Annotations.fromStack(stack).hasWarning(
      '/NoWebhook',
      Match.stringLikeRegexp('maxEventAge is ignored: .*webhook path.* is off'),
    );
  });
});

describe('StreamEventsStack props validation', () => {
  it.each<[string, StreamEventsStackProps, RegExp]>([
    ['maxBodyBytes 0', { maxBodyBytes: 0 }, /maxBodyBytes must be a positive integer, got 0/],
    ['fractional maxBodyBytes', { maxBodyBytes: 1.5 }, /maxBodyBytes must be a positive integer/],
    [
      'maxInflatedBytes below maxBodyBytes',
      { maxBodyBytes: 2_000_000, maxInflatedBytes: 1_000_000 },
      /maxInflatedBytes \(1000000\) must be at least maxBodyBytes \(2000000\)/,
    ],
    ['maxReceiveCount 0', { maxReceiveCount: 0 }, /maxReceiveCount must be an integer from 1/],
    ['batchSize 0', { batchSize: 0 }, /batchSize must be an integer from 1 to 10000, got 0/],
    [
      'a partial secret ARN',
      { secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stream' },
      /not a complete secret ARN/,
    ],
    [
      'a dedupe window shorter than the consumer timeout',
      { dedupeWindow: Duration.seconds(10) },
      /Consumer: dedupeWindow \(10 s\) must be whole seconds and at least the consumer timeout \(30 s\)/,
    ],
    [
      'a maxEventAge longer than the dedupe window',
      { maxEventAge: Duration.hours(25) },
      /maxEventAge \(90000 s\) must not be longer than dedupeWindow \(86400 s\): a replay older than the window/,
    ],
    [
      'every path off',
      { paths: { webhook: false, sqs: false, sns: false } },
      /every delivery path is off; turn on at least one of webhook, sqs, sns/,
    ],
    [
      'an unknown ordering',
      { ordering: 'strict' as 'none' },
      /ordering must be 'none' or 'per-entity', got "strict"/,
    ],
  ])('rejects %s at synth', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
