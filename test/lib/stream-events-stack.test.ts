import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

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
}

interface IamPolicy {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: readonly PolicyStatement[] };
    readonly Roles: readonly { readonly Ref: string }[];
  };
}

const VERIFIER_ENV = [
  'MAX_BODY_BYTES',
  'MAX_INFLATED_BYTES',
  'MAX_QUEUE_MESSAGE_BYTES',
  'NODE_OPTIONS',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_SERVICE_NAME',
  'QUEUE_URL',
  'STREAM_SECRET_ID',
];
const CONSUMER_ENV = [
  'CONSUMER_GROUP',
  'NODE_OPTIONS',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_SERVICE_NAME',
];

/** Synthesizes the stack without running esbuild (the assertions are on the template only). */
function synth(props?: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

/** The one Lambda function whose environment has `key` (the verifier or the consumer). */
function functionWithEnv(template: Template, key: string): [string, LambdaFunction] {
  const all = template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>;
  const found = Object.entries(all).filter(([, fn]) => key in fn.Properties.Environment.Variables);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The logical id of the single resource of `type`. */
function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** The statements of the IAM policies attached to the function's role. */
function roleStatements(template: Template, fn: LambdaFunction): PolicyStatement[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, IamPolicy>;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The logical id of the events queue: the one with a redrive policy (the other is its DLQ). */
function eventsQueueId(template: Template): string {
  const ids = Object.keys(
    template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
  );
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** Every value of a `SecretString` key anywhere in the template. */
function secretStrings(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(secretStrings);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'SecretString' ? [value] : secretStrings(value),
  );
}

describe('StreamEventsStack with default props (a new secret)', () => {
  const template = synth();
  const queueId = eventsQueueId(template);

  it('routes POST /webhook to the verifier with payload format 2.0', () => {
    const [verifierId] = functionWithEnv(template, 'STREAM_SECRET_ID');
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
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

  it('runs both functions on nodejs22.x, arm64, with source maps enabled', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('answers Stream within its 6 s wait: verifier timeout 5 s, 256 MB', () => {
    const [, verifier] = functionWithEnv(template, 'STREAM_SECRET_ID');
    expect(verifier.Properties).toMatchObject({ Timeout: 5, MemorySize: 256 });
  });

  it('keeps each function log group for one month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.allResourcesProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
    });
  });

  it('accepts 1 MiB messages, encrypted with SSE-SQS, kept 14 days', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      MaximumMessageSize: 1_048_576,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('moves a message to the DLQ after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Dead'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('denies non-TLS access to both queues', () => {
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
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
    const [, verifier] = functionWithEnv(template, 'STREAM_SECRET_ID');
    const env = verifier.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(VERIFIER_ENV);
    expect(env).toMatchObject({
      QUEUE_URL: { Ref: queueId },
      STREAM_SECRET_ID: { Ref: onlyLogicalId(template, 'AWS::SecretsManager::Secret') },
      MAX_BODY_BYTES: '6000000',
      MAX_INFLATED_BYTES: '16777216',
      MAX_QUEUE_MESSAGE_BYTES: '1048576',
      POWERTOOLS_SERVICE_NAME: 'stream-events-verifier',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('gives the consumer exactly its configuration variables', () => {
    const [, consumer] = functionWithEnv(template, 'CONSUMER_GROUP');
    const env = consumer.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(CONSUMER_ENV);
    expect(env).toMatchObject({
      CONSUMER_GROUP: 'all',
      POWERTOOLS_SERVICE_NAME: 'stream-events-consumer',
      POWERTOOLS_LOG_LEVEL: 'INFO',
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
    const [, verifier] = functionWithEnv(template, 'STREAM_SECRET_ID');
    const secretId = onlyLogicalId(template, 'AWS::SecretsManager::Secret');
    expect(roleStatements(template, verifier)).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: { Ref: secretId },
      },
    ]);
  });

  it('lets the consumer only consume from the queue', () => {
    const [, consumer] = functionWithEnv(template, 'CONSUMER_GROUP');
    const statements = roleStatements(template, consumer);
    expect(statements.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    expect(statements.flatMap((s) => s.Action)).not.toContain('sqs:SendMessage');
  });

  it('outputs the webhook URL, the queues and the secret ARN, with descriptions', () => {
    template.hasOutput('WebhookUrl', {
      Description: Match.stringLikeRegexp('.+'),
      Value: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/webhook']],
      },
    });
    template.hasOutput('QueueUrl', { Description: Match.anyValue(), Value: { Ref: queueId } });
    template.hasOutput('QueueArn', {
      Description: Match.anyValue(),
      Value: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    template.hasOutput('DeadLetterQueueUrl', {
      Description: Match.anyValue(),
      Value: { Ref: Match.stringLikeRegexp('Dead') },
    });
    template.hasOutput('SecretArn', {
      Description: Match.anyValue(),
      Value: { Ref: onlyLogicalId(template, 'AWS::SecretsManager::Secret') },
    });
  });

  it('sets no physical names', () => {
    template.allResourcesProperties('AWS::SQS::Queue', { QueueName: Match.absent() });
    template.allResourcesProperties('AWS::Lambda::Function', { FunctionName: Match.absent() });
    template.allResourcesProperties('AWS::SecretsManager::Secret', { Name: Match.absent() });
  });
});

describe('StreamEventsStack with an existing secret and custom props', () => {
  const template = synth({
    existingSecret: 'stream/api-secrets',
    maxReceiveCount: 3,
    batchSize: 25,
    maxBatchingWindow: Duration.seconds(5),
    consumerTimeout: Duration.seconds(60),
    maxBodyBytes: 1_000_000,
    maxInflatedBytes: 2_000_000,
  });
  const queueId = eventsQueueId(template);

  it('creates no secret and has no SecretString at all', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(secretStrings(template.toJSON())).toEqual([]);
  });

  it('names the existing secret by ARN in the verifier env, with the same variable names', () => {
    const [, verifier] = functionWithEnv(template, 'STREAM_SECRET_ID');
    const env = verifier.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(VERIFIER_ENV);
    expect(JSON.stringify(env['STREAM_SECRET_ID'])).toMatch(/:secret:stream\/api-secrets"/);
    expect(env).toMatchObject({ MAX_BODY_BYTES: '1000000', MAX_INFLATED_BYTES: '2000000' });
  });

  it('grants read on that secret (any version suffix) and nothing else of Secrets Manager', () => {
    const [, verifier] = functionWithEnv(template, 'STREAM_SECRET_ID');
    const secretStatements = roleStatements(template, verifier).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    expect(secretStatements[0]!.Action).toEqual([
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
    ]);
    expect(JSON.stringify(secretStatements[0]!.Resource)).toMatch(
      /:secret:stream\/api-secrets-\?\?\?\?\?\?"/,
    );
  });

  it('passes the queue, batching and timeout props through', () => {
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
      { existingSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stream' },
      /not a complete secret ARN/,
    ],
  ])('rejects %s at synth', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
