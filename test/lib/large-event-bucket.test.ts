import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LargeEventBucket } from '../../lib/large-event-bucket.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

const HANDLERS = 'lambda/handlers/index.ts';

interface FunctionResource {
  readonly Properties: {
    readonly Environment: { readonly Variables: Readonly<Record<string, unknown>> };
    readonly Role: { readonly 'Fn::GetAtt': readonly [string, string] };
  };
}

interface PolicyResource {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: readonly Record<string, unknown>[] };
    readonly Roles?: readonly { readonly Ref: string }[];
  };
}

function synth(props?: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

function bucketIdOf(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::S3::Bucket'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** Every function's role, by the function's CONSUMER_GROUP (or "verifier" / "hooks"). */
function functionRoles(template: Template): Map<string, string> {
  const functions = template.findResources('AWS::Lambda::Function') as Record<
    string,
    FunctionResource
  >;
  const roles = new Map<string, string>();
  for (const fn of Object.values(functions)) {
    const env = fn.Properties.Environment.Variables;
    const name =
      typeof env['CONSUMER_GROUP'] === 'string'
        ? `consumer:${env['CONSUMER_GROUP']}`
        : 'ROUTES' in env
          ? 'verifier'
          : 'other';
    roles.set(fn.Properties.Role['Fn::GetAtt'][0], name);
  }
  return roles;
}

/** Every IAM statement that mentions the bucket, with the function whose role holds it. */
function bucketGrants(template: Template, bucketId: string) {
  const roles = functionRoles(template);
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
  return Object.values(policies).flatMap((policy) =>
    policy.Properties.PolicyDocument.Statement.filter((statement) =>
      JSON.stringify(statement).includes(bucketId),
    ).map((statement) => ({
      holders: (policy.Properties.Roles ?? []).map((role) => roles.get(role.Ref) ?? role.Ref),
      statement,
    })),
  );
}

describe('LargeEventBucket in the default webhook stack, two groups', () => {
  const template = synth({
    consumers: [
      { name: 'all', events: ['*'], entry: HANDLERS },
      { name: 'chat', events: ['message.*'], entry: HANDLERS },
    ],
  });
  const bucketId = bucketIdOf(template);

  it('is private, SSE-S3, owner-enforced and unversioned', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: Match.absent(),
    });
  });

  it('keeps an object longer than its pointer can live: queue, DLQ, and again after a redrive', () => {
    const retentions = Object.values(template.findResources('AWS::SQS::Queue')).map(
      (queue) => (queue as { Properties: { MessageRetentionPeriod: number } }).Properties,
    );
    const longest = Math.max(...retentions.map((queue) => queue.MessageRetentionPeriod));
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId] as {
      Properties: { LifecycleConfiguration: { Rules: { ExpirationInDays: number }[] } };
    };
    const [rule] = bucket.Properties.LifecycleConfiguration.Rules;

    // A FIFO DLQ restarts the retention clock, and a redriven message is a new message.
    expect(rule!.ExpirationInDays * 86_400).toBeGreaterThan(2 * (longest + longest));
  });

  it('expires objects after 57 days and abandoned uploads after 1', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            ExpirationInDays: 57,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it('is retained when the stack is deleted: queued pointers must still resolve', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('refuses every request not made over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('grants exactly PutObject to the verifier and GetObject to each consumer, on events/* only', () => {
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/events/*']] };
    const grants = bucketGrants(template, bucketId);
    expect(grants).toHaveLength(3);
    expect(grants).toEqual(
      expect.arrayContaining([
        {
          holders: ['verifier'],
          statement: { Action: 's3:PutObject', Effect: 'Allow', Resource: objects },
        },
        {
          holders: ['consumer:all'],
          statement: { Action: 's3:GetObject', Effect: 'Allow', Resource: objects },
        },
        {
          holders: ['consumer:chat'],
          statement: { Action: 's3:GetObject', Effect: 'Allow', Resource: objects },
        },
      ]),
    );
  });

  it('names the bucket to the verifier and every consumer, and in an output', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Record<
      string,
      FunctionResource
    >;
    const named = Object.values(functions)
      .filter((fn) => 'LARGE_EVENT_BUCKET' in fn.Properties.Environment.Variables)
      .map((fn) => fn.Properties.Environment.Variables);
    expect(named).toHaveLength(3);
    for (const env of named) expect(env['LARGE_EVENT_BUCKET']).toEqual({ Ref: bucketId });
    template.hasOutput('LargeEventBucketName', { Value: { Ref: bucketId } });
  });

  it('names the expiration in the bucket output', () => {
    template.hasOutput('LargeEventBucketName', {
      Description: Match.stringLikeRegexp('expire after 57 days'),
    });
  });
});

describe('LargeEventBucket without the webhook path', () => {
  const template = synth({ paths: { webhook: false, sqs: true } });

  it('is not created: Stream writes its own deliveries, only the verifier stores events', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('LARGE_EVENT_BUCKET');
  });
});

describe('LargeEventBucket props', () => {
  it('refuses an expiration a redriven pointer could outlive', () => {
    const stack = new Stack(new App(), 'Props');
    expect(() => new LargeEventBucket(stack, 'Short', { expiration: Duration.days(56) })).toThrow(
      'Short: expiration must be longer than the 56 days a pointer message can live',
    );
  });
});
