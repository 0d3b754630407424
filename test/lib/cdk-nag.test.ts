import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

/**
 * cdk-nag v3 is a CDK policy-validation plugin: it runs at synth and makes synth throw with a
 * report of every unacknowledged finding (errors and warnings alike). Acknowledgments, each with
 * its reason, sit next to the resource in lib/ (see lib/nag-suppressions.ts).
 */
function nagReport(build: (app: App) => void): string {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  try {
    app.synth();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function stackReport(props?: StreamEventsStackProps): string {
  return nagReport((app) => new StreamEventsStack(app, 'Test', props));
}

const HANDLERS = 'lambda/handlers/index.ts';

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the default stack', () => {
    expect(stackReport()).toBe('');
  });

  it('finds nothing unacknowledged with every path, two groups and warm sync hooks', () => {
    const report = stackReport({
      paths: { webhook: true, sqs: true, sns: true },
      consumers: [
        { name: 'all', events: ['*'], entry: HANDLERS },
        { name: 'moderation', events: ['message.new', 'message.updated'], entry: HANDLERS },
      ],
      syncHooks: { enabled: true, provisionedConcurrency: 1 },
    });
    expect(report).toBe('');
  });

  it('finds nothing unacknowledged with X-Ray tracing on every function', () => {
    const report = stackReport({
      paths: { webhook: true, sqs: true, sns: true },
      syncHooks: { enabled: true },
      tracing: true,
    });
    expect(report).toBe('');
  });

  it('finds nothing unacknowledged with per-entity ordering (FIFO queues)', () => {
    expect(stackReport({ ordering: 'per-entity' })).toBe('');
  });

  it('finds nothing unacknowledged with an existing secret', () => {
    expect(stackReport({ secret: 'stream/api-secrets' })).toBe('');
  });

  it('does report findings (the pack really runs)', () => {
    const report = nagReport((app) => new Queue(new Stack(app, 'Bare'), 'Queue'));
    expect(report).toMatch(/AwsSolutions-SQS3/);
  });
});
