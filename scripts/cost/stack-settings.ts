import { App } from 'aws-cdk-lib';
import { CfnAlarm, CfnDashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnEventSourceMapping, CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { cdkJsonContext } from '../../contract/context.js';
import { DEFAULT_BATCH_SIZE } from '../../contract/defaults.js';
import { appConfigFromContext } from '../../lib/app-context.js';
import { StreamEventsStack } from '../../lib/stream-events-stack.js';
import type { StackSettings } from './model.js';

/**
 * Builds the stack as bin/app.ts does (every delivery path switched on, so each has its Lambda)
 * without bundling, and reads the settings the cost depends on from its constructs, so the cost
 * follows the code's memory sizes and batch sizes instead of copies of them.
 */
export function stackSettings(context: Record<string, unknown> = cdkJsonContext()): StackSettings {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const { props } = appConfigFromContext((key) => app.node.tryGetContext(key));
  const stack = new StreamEventsStack(app, 'CostModel', {
    ...props,
    paths: { webhook: true, sqs: true, sns: true },
  });
  const verifier = stack.ingress?.verifier;
  const [first] = stack.consumerGroups;
  if (!verifier || !first) throw new Error('the stack has no verifier or no consumer group');
  const mapping = first.consumer.node
    .findAll()
    .find((child): child is CfnEventSourceMapping => child instanceof CfnEventSourceMapping);
  return {
    verifierMemoryMb: memoryOf(verifier.node.defaultChild),
    consumerMemoryMb: memoryOf(first.consumer.lambdaFunction.node.defaultChild),
    batchSize: mapping?.batchSize ?? DEFAULT_BATCH_SIZE,
    groups: stack.consumerGroups.length,
    fifo: first.eventQueue.fifo,
    alarms: stack.node.findAll().filter((child) => child instanceof CfnAlarm).length,
    dashboards: stack.node.findAll().filter((child) => child instanceof CfnDashboard).length,
  };
}

function memoryOf(child: unknown): number {
  if (!(child instanceof CfnFunction) || typeof child.memorySize !== 'number') {
    throw new Error('a Lambda function has no literal memory size');
  }
  return child.memorySize;
}
