import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A cdk-nag AwsSolutions finding we accept, and why. */
export interface NagAcknowledgment {
  /** The finding's id, e.g. `AwsSolutions-L1` or `AwsSolutions-IAM4[Policy::...]`. */
  readonly id: string;
  /** Why the finding does not apply here: specific and true. */
  readonly reason: string;
}

/** The managed policy CDK attaches to every Lambda execution role it creates. */
export const LAMBDA_BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * Acknowledges cdk-nag findings on `scope` and everything under it, through CDK's own
 * `Validations` (cdk-nag v3 reads these), so lib/ needs no cdk-nag import. Call it next to the
 * resource the findings are about.
 */
export function acknowledgeNagFindings(
  scope: IConstruct,
  ...acknowledgments: readonly NagAcknowledgment[]
): void {
  for (const { id, reason } of acknowledgments) Validations.of(scope).acknowledge({ id, reason });
}
