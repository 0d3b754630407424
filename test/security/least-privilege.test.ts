/**
 * Least privilege, asserted on the template of the widest stack (every path, two groups, the
 * synchronous hooks): each function's role holds exactly the statements listed here, and no
 * identity policy grants a wildcard action or a `*` resource. A new grant fails this test until
 * it is added here on purpose.
 */
import { App, type CfnElement, type IResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}
interface PolicyDocument {
  readonly Statement: readonly Statement[];
}
interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

const WIDEST: StreamEventsStackProps = {
  paths: { webhook: true, sqs: true, sns: true },
  consumers: [
    { name: 'messages', events: ['message.*'] },
    { name: 'rest', events: ['*'] },
  ],
  syncHooks: { enabled: true },
};
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new StreamEventsStack(app, 'LeastPrivilege', WIDEST);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Resource>;

const idOf = (resource: IResource): string =>
  stack.getLogicalId(resource.node.defaultChild as CfnElement);
const arnOf = (resource: IResource): unknown => ({ 'Fn::GetAtt': [idOf(resource), 'Arn'] });

// What the code calls (lambda/lib/adapters/sqs-enqueuer.ts, secrets-manager-source.ts); CDK's grant
// helpers would add GetQueueAttributes, GetQueueUrl and DescribeSecret, which it never calls.
const SQS_SEND = 'sqs:SendMessage';
const SECRET_READ = 'secretsmanager:GetSecretValue';
// What Lambda's SQS poller calls for the event source mapping (the actions of AWS's
// AWSLambdaSQSQueueExecutionRole); the consumer code itself makes no SQS call. No
// ChangeMessageVisibility: a failed record waits out the visibility timeout. No GetQueueUrl.
const SQS_CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const CLAIM_ITEMS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * The claim-check bucket's object grants, once the stack has one (large events, issue 6): the
 * verifier writes and the consumers read objects under `events/` only.
 */
function largeEventStatements(action: 's3:PutObject' | 's3:GetObject'): Statement[] {
  const buckets = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::S3::Bucket');
  if (buckets.length === 0) return [];
  expect(buckets).toHaveLength(1);
  return [
    {
      Effect: 'Allow',
      Action: action,
      Resource: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [buckets[0]!, 'Arn'] }, '/events/*']],
      },
    },
  ];
}

/** The inline statements of `fn`'s execution role, with the role checked on the way. */
function roleStatements(fn: IResource): Statement[] {
  const fnResource = resources[idOf(fn)]!;
  const roleId = (fnResource.Properties['Role'] as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  const role = resources[roleId]!;
  // Only Lambda may assume it, and its one managed policy only writes the function's own logs.
  expect(role.Properties['AssumeRolePolicyDocument']).toEqual({
    Statement: [
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
      },
    ],
    Version: '2012-10-17',
  });
  expect(JSON.stringify(role.Properties['ManagedPolicyArns'])).toBe(
    JSON.stringify([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        ],
      },
    ]),
  );
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) =>
      (policy.Properties['Roles'] as { Ref: string }[]).some((ref) => ref.Ref === roleId),
    )
    .flatMap((policy) => (policy.Properties['PolicyDocument'] as PolicyDocument).Statement);
}

/** Every statement of every policy document of `type` under `key`. */
function statementsOf(type: string, key: string): Statement[] {
  return Object.values(resources)
    .filter((resource) => resource.Type === type)
    .flatMap((resource) => (resource.Properties[key] as PolicyDocument).Statement);
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

describe('each function holds exactly the permissions its code uses', () => {
  const [messages, rest] = stack.consumerGroups;
  const secret = stack.streamSecret!.secret;

  it('verifier: send to each group queue, read the one secret', () => {
    expect(roleStatements(stack.ingress!.verifier)).toEqual([
      { Effect: 'Allow', Action: SQS_SEND, Resource: arnOf(messages!.eventQueue.queue) },
      { Effect: 'Allow', Action: SQS_SEND, Resource: arnOf(rest!.eventQueue.queue) },
      { Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: idOf(secret) } },
      ...largeEventStatements('s3:PutObject'),
    ]);
  });

  it("hook function: read the one secret; its own claims' items (keys under its prefix)", () => {
    expect(roleStatements(stack.syncHooks!.handler)).toEqual([
      { Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: idOf(secret) } },
      {
        Effect: 'Allow',
        Action: CLAIM_ITEMS,
        Resource: arnOf(stack.idempotencyTable.table),
        // A pending-message callback's claim only: no consumer group's claim can be read or moved.
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['hook:pending-messages#*'] },
        },
      },
    ]);
  });

  it.each([0, 1])(
    "consumer of group %i: its claims' items and its own queue (no other group's)",
    (index) => {
      const group = stack.consumerGroups[index]!;
      expect(roleStatements(group.consumer.lambdaFunction)).toEqual([
        {
          Effect: 'Allow',
          Action: CLAIM_ITEMS,
          Resource: [arnOf(stack.idempotencyTable.table)],
        },
        { Effect: 'Allow', Action: SQS_CONSUME, Resource: arnOf(group.eventQueue.queue) },
        ...largeEventStatements('s3:GetObject'),
      ]);
    },
  );

  it('every role in the stack belongs to one of these functions', () => {
    const roles = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::IAM::Role');
    const functionRoles = [
      stack.ingress!.verifier,
      stack.syncHooks!.handler,
      ...stack.consumerGroups.map((group) => group.consumer.lambdaFunction),
    ].map((fn) => idOf(fn.role!));
    expect(roles.sort()).toEqual(functionRoles.sort());
  });
});

describe('an existing secret: GetSecretValue on exactly that secret, from both functions', () => {
  /** Every Secrets Manager statement of the stack built around `existingSecret`. */
  function secretStatements(existingSecret: string): Statement[] {
    const imported = new StreamEventsStack(
      new App({ context: { 'aws:cdk:bundling-stacks': [] } }),
      'ImportedSecret',
      { secret: existingSecret, syncHooks: { enabled: true } },
    );
    const policies = Template.fromStack(imported).findResources('AWS::IAM::Policy');
    return Object.values(policies)
      .flatMap((policy) => (policy.Properties.PolicyDocument as PolicyDocument).Statement)
      .filter((statement) => actionsOf(statement).some((a) => a.startsWith('secretsmanager:')));
  }

  it('by name: the partial ARN plus `-??????`, the 6 characters Secrets Manager appends', () => {
    const partialArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':secretsmanager:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':secret:stream/api-secrets-??????',
        ],
      ],
    };
    const expected = { Effect: 'Allow', Action: SECRET_READ, Resource: partialArn };

    expect(secretStatements('stream/api-secrets')).toEqual([expected, expected]);
  });

  it('by complete ARN: that ARN, no wildcard', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stream/api-secrets-AbC123';
    const expected = { Effect: 'Allow', Action: SECRET_READ, Resource: arn };

    expect(secretStatements(arn)).toEqual([expected, expected]);
  });
});

describe('no wildcard in any identity policy', () => {
  const statements = statementsOf('AWS::IAM::Policy', 'PolicyDocument');

  it('grants no action by wildcard (`*`, `service:*` or a `*` suffix)', () => {
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('names every resource: no `*`, only object keys under events/ may end in a wildcard', () => {
    const wildcards = statements
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource))
      .filter((text) => text.includes('*'));
    for (const text of wildcards) expect(text).toMatch(/\/events\/\*"\]\]\}$/);
  });

  it('has no IAM user, access key or inline admin grant', () => {
    template.resourceCountIs('AWS::IAM::User', 0);
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });
});

describe('with tracing on: every role gains the two X-Ray calls, and nothing else', () => {
  // X-Ray's PutTraceSegments and PutTelemetryRecords take no resource, so '*' is their only form.
  const XRAY = {
    Effect: 'Allow',
    Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    Resource: '*',
  };
  const traced = Template.fromStack(
    new StreamEventsStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), stack.node.id, {
      ...WIDEST,
      tracing: true,
    }),
  ).toJSON().Resources as Record<string, Resource>;

  /** Each role's inline statements, by the role's logical id. */
  const byRole = (all: Record<string, Resource>): Map<string, Statement[]> => {
    const roles = new Map<string, Statement[]>();
    for (const resource of Object.values(all).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      for (const { Ref } of resource.Properties['Roles'] as { Ref: string }[]) {
        const statements = (resource.Properties['PolicyDocument'] as PolicyDocument).Statement;
        roles.set(Ref, [...(roles.get(Ref) ?? []), ...statements]);
      }
    }
    return roles;
  };

  it("holds each role's statements without tracing, plus exactly the X-Ray statement", () => {
    const before = byRole(resources);
    const after = byRole(traced);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [role, statements] of before) {
      expect(after.get(role)).toEqual(expect.arrayContaining([...statements, XRAY]));
      expect(after.get(role)).toHaveLength(statements.length + 1);
    }
  });

  it("grants '*' only to the X-Ray calls", () => {
    const starred = [...byRole(traced).values()]
      .flat()
      .filter((statement) => [statement.Resource].flat().includes('*'));
    expect(starred.length).toBeGreaterThan(0);
    for (const statement of starred) expect(statement).toEqual(XRAY);
  });
});

describe('resource policies', () => {
  it('allow `*` resources only in KMS key policies, where `*` means the key itself', () => {
    const allowStar = (type: string, key: string): Statement[] =>
      statementsOf(type, key).filter(
        (statement) => statement.Effect === 'Allow' && statement.Resource === '*',
      );
    expect(allowStar('AWS::SQS::QueuePolicy', 'PolicyDocument')).toEqual([]);
    expect(allowStar('AWS::SNS::TopicPolicy', 'PolicyDocument')).toEqual([]);
    expect(allowStar('AWS::S3::BucketPolicy', 'PolicyDocument')).toEqual([]);
    // AWS requires `Resource: "*"` in a key policy. The account root keeps admin over its key
    // (CDK's default; without it the key becomes unmanageable); a service or Stream's account
    // may only encrypt for the topic it publishes to.
    const keyStatements = allowStar('AWS::KMS::Key', 'KeyPolicy');
    expect(keyStatements.length).toBeGreaterThan(0);
    const accountRoot = {
      AWS: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
        ],
      },
    };
    const publishers = [
      { AWS: 'arn:aws:iam::185583345998:root' }, // Stream, to the events topic
      { Service: 'cloudwatch.amazonaws.com' }, // CloudWatch, to the alarm topic
    ].map((principal) => JSON.stringify(principal));
    for (const statement of keyStatements) {
      if (JSON.stringify(statement.Principal) === JSON.stringify(accountRoot)) {
        expect(statement.Action).toBe('kms:*');
      } else {
        expect(publishers).toContain(JSON.stringify(statement.Principal));
        expect(statement.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
      }
    }
  });

  it('use service-wide actions (`sqs:*`, `s3:*`) only to deny insecure transport', () => {
    const broad = [
      ...statementsOf('AWS::SQS::QueuePolicy', 'PolicyDocument'),
      ...statementsOf('AWS::SNS::TopicPolicy', 'PolicyDocument'),
      ...statementsOf('AWS::S3::BucketPolicy', 'PolicyDocument'),
    ].filter((statement) => actionsOf(statement).some((action) => action.endsWith(':*')));
    expect(broad.length).toBeGreaterThan(0);
    for (const statement of broad) {
      expect(statement).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  it("let only Stream's account and the stack's own topic send to the queues", () => {
    const allows = statementsOf('AWS::SQS::QueuePolicy', 'PolicyDocument').filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect([
        JSON.stringify({ AWS: 'arn:aws:iam::185583345998:root' }),
        JSON.stringify({ Service: 'sns.amazonaws.com' }),
      ]).toContain(JSON.stringify(statement.Principal));
      if (JSON.stringify(statement.Principal).includes('sns.amazonaws.com')) {
        expect(statement.Condition).toEqual({
          ArnEquals: { 'aws:SourceArn': { Ref: idOf(stack.topic!.topic) } },
        });
      }
    }
  });
});
