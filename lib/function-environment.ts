import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * Sets `vars` on `fn`, in their order: the variables a contract/env/ writer gives, for a construct
 * that adds them to a function it did not create (the bucket's grants, the stack's namespace).
 */
export function addEnvironment(fn: LambdaFunction, vars: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(vars)) fn.addEnvironment(name, value);
}
