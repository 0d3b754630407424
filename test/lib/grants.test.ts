/**
 * The explicit grants. The stack's own resources (SSE-SQS queues, a secret under the AWS-managed
 * key) are covered by test/security/least-privilege.test.ts; here, the resources a user may pass
 * instead: queues and secrets under a customer-managed key, whose key the function then needs.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import {
  grantEventSourcePolling,
  grantSecretValue,
  grantSendMessage,
  secretArnForPolicies,
} from '../../lib/grants.js';

interface Statement {
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

function setup(): { stack: Stack; fn: LambdaFunction; key: Key } {
  const stack = new Stack(new App(), 'Test', { env: { region: 'eu-west-1' } });
  const fn = new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = () => {};'),
  });
  return { stack, fn, key: new Key(stack, 'Key') };
}

/** The statements of the function's role policy. */
function roleStatements(stack: Stack): Statement[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const keyArn = { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] };

describe('grants on a queue under a customer-managed key', () => {
  it('sending: SendMessage, plus the data key (GenerateDataKey, Decrypt) of that key only', () => {
    const { stack, fn, key } = setup();
    const queue = new Queue(stack, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
    });

    grantSendMessage(queue, fn);

    expect(roleStatements(stack)).toEqual([
      expect.objectContaining({ Action: 'sqs:SendMessage' }),
      expect.objectContaining({
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: keyArn,
      }),
    ]);
  });

  it('polling: the three poller actions, plus Decrypt on that key only', () => {
    const { stack, fn, key } = setup();
    const queue = new Queue(stack, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
    });

    grantEventSourcePolling(queue, fn);

    expect(roleStatements(stack)).toEqual([
      expect.objectContaining({
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      }),
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: keyArn }),
    ]);
  });

  it('an SSE-SQS queue needs no key grant', () => {
    const { stack, fn } = setup();
    const queue = new Queue(stack, 'Queue', { encryption: QueueEncryption.SQS_MANAGED });

    grantSendMessage(queue, fn);
    grantEventSourcePolling(queue, fn);

    expect(JSON.stringify(roleStatements(stack))).not.toContain('kms:');
  });
});

describe('grantSecretValue', () => {
  it('on a secret under a customer-managed key: Decrypt only through Secrets Manager', () => {
    const { stack, fn, key } = setup();
    const secret = new Secret(stack, 'Secret', { encryptionKey: key });

    grantSecretValue(secret, fn);

    // As with CDK's grantRead, the Decrypt lands in the key's policy, naming the function's role.
    expect(roleStatements(stack)).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue' }),
    ]);
    const keyPolicy = Template.fromStack(stack).toJSON().Resources.Key961B73FD.Properties
      .KeyPolicy as { Statement: Statement[] };
    expect(keyPolicy.Statement).toContainEqual({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': ['FnServiceRoleB9001A96', 'Arn'] } },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
      },
    });
  });

  it('names a secret the stack creates by its ARN (the Ref), with no suffix wildcard', () => {
    const { stack } = setup();
    const secret = new Secret(stack, 'Secret');

    expect(stack.resolve(secretArnForPolicies(secret))).toEqual({ Ref: 'SecretA720EF05' });
  });
});
