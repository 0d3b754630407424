import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ViaServicePrincipal } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/*
 * Grants of exactly the calls our functions make, in place of CDK's grant* helpers, which add
 * actions the code never calls: `secret.grantRead` adds secretsmanager:DescribeSecret,
 * `queue.grantSendMessages` adds sqs:GetQueueAttributes and sqs:GetQueueUrl, and an SQS event
 * source's `grantConsumeMessages` adds sqs:ChangeMessageVisibility and sqs:GetQueueUrl.
 * test/security/least-privilege.test.ts lists every resulting statement.
 */

/**
 * The secret's ARN as an IAM policy must name it. A secret imported by name has only a partial
 * ARN: Secrets Manager appends `-` and 6 random characters, which `-??????` matches (what CDK's
 * own `grantRead` writes), without also matching a longer name that merely starts the same way.
 */
export function secretArnForPolicies(secret: ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

/** Lets `fn` call GetSecretValue on `secret` (lambda/lib/adapters/secrets-manager-source.ts), and nothing else. */
export function grantSecretValue(secret: ISecret, fn: IFunction): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secretArnForPolicies(secret)],
    }),
  );
  // A secret under a customer-managed key can only be read if the key lets Secrets Manager
  // decrypt it for `fn` (as grantRead does). The stack's secrets use the AWS-managed key: no grant.
  secret.encryptionKey?.grantDecrypt(
    new ViaServicePrincipal(
      `secretsmanager.${Stack.of(secret).region}.amazonaws.com`,
      fn.grantPrincipal,
    ),
  );
}

/** Lets `fn` call SendMessage on `queue` (lambda/lib/adapters/sqs-enqueuer.ts), and nothing else. */
export function grantSendMessage(queue: IQueue, fn: IFunction): void {
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  // Sending to an SSE-KMS queue needs its data key; the stack's queues use SSE-SQS (no key).
  queue.encryptionMasterKey?.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/**
 * Lets the SQS event source mapping of `fn` poll `queue`: the three actions Lambda's poller calls
 * (AWS's AWSLambdaSQSQueueExecutionRole grants exactly these): ReceiveMessage, DeleteMessage for
 * the records of a batch that succeeded, GetQueueAttributes to read the queue's settings (Lambda
 * checks its visibility timeout against the function's when the mapping is created). Failed
 * records are not handed back with ChangeMessageVisibility: they become visible again when the
 * queue's visibility timeout ends.
 */
export function grantEventSourcePolling(queue: IQueue, fn: IFunction): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources: [queue.queueArn],
    }),
  );
  // Receiving from an SSE-KMS queue needs Decrypt; the stack's queues use SSE-SQS (no key).
  queue.encryptionMasterKey?.grantDecrypt(fn);
}
