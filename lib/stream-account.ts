import { ArnPrincipal } from 'aws-cdk-lib/aws-iam';

/**
 * Stream's AWS account: the one that writes into a user's queue or topic for the direct `sqs` and
 * `sns` event hooks with resource auth (`sqs_auth_type` / `sns_auth_type: 'resource'`).
 */
export const STREAM_AWS_ACCOUNT_ID = '185583345998';

/**
 * The account's root ARN, written out (not `AccountPrincipal`, which renders
 * `arn:${AWS::Partition}:...`): Stream's account lives in the `aws` partition whatever the
 * partition of the stack, and the literal is what a reviewer expects to read in a policy.
 */
export const STREAM_ACCOUNT_ROOT_ARN = `arn:aws:iam::${STREAM_AWS_ACCOUNT_ID}:root`;

/** Stream's account as a policy principal. */
export function streamAccountPrincipal(): ArnPrincipal {
  return new ArnPrincipal(STREAM_ACCOUNT_ROOT_ARN);
}
