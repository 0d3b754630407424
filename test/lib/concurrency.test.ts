/**
 * Concurrency bounds: each consumer group's event source is bounded by default, so a busy group
 * cannot take the account's whole Lambda concurrency from the verifier and the hooks (Stream
 * retries a 429 only three times); the verifier and the hook function may reserve their own.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';
import { DEFAULT_CONSUMER_MAX_CONCURRENCY } from '../../contract/defaults.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

const HANDLERS = 'lambda/handlers/index.ts';

interface LambdaFunction {
  readonly Properties: {
    readonly Environment: { readonly Variables: Readonly<Record<string, unknown>> };
    readonly ReservedConcurrentExecutions?: number;
  };
}

function synth(props?: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

/** Each function's reserved concurrency (undefined: none), by its POWERTOOLS_SERVICE_NAME. */
function reserved(template: Template): Record<string, number | undefined> {
  const functions = Object.values(
    template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>,
  );
  return Object.fromEntries(
    functions.map((fn) => [
      String(fn.Properties.Environment.Variables['POWERTOOLS_SERVICE_NAME']),
      fn.Properties.ReservedConcurrentExecutions,
    ]),
  );
}

describe('consumer concurrency', () => {
  const template = synth({
    consumers: [
      { name: 'all', events: ['*'], entry: HANDLERS },
      { name: 'calls', events: ['call.*'], entry: HANDLERS, maxConcurrency: 50 },
    ],
  });

  it('is bounded to 10 concurrent invocations per group by default', () => {
    expect(DEFAULT_CONSUMER_MAX_CONCURRENCY).toBe(10);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ConsumerFunction') },
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it("takes a group's own maxConcurrency instead", () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ConsumercallsFunction') },
      ScalingConfig: { MaximumConcurrency: 50 },
    });
  });

  it('reserves no concurrency for any function unless asked', () => {
    expect(reserved(template)).toEqual({
      'stream-events-verifier': undefined,
      'stream-events-hooks': undefined,
      'stream-events-consumer': undefined,
    });
  });
});

describe('reserved concurrency for the verifier and the hooks', () => {
  it('reserves what verifierReservedConcurrency and syncHooks.reservedConcurrency ask', () => {
    const template = synth({
      verifierReservedConcurrency: 100,
      syncHooks: { reservedConcurrency: 20 },
    });

    expect(reserved(template)).toEqual({
      'stream-events-verifier': 100,
      'stream-events-hooks': 20,
      'stream-events-consumer': undefined,
    });
  });

  it.each([0, -1, 1.5])('refuses a verifier reservation of %s', (verifierReservedConcurrency) => {
    expect(() => synth({ verifierReservedConcurrency })).toThrow(
      `Webhook: reservedConcurrency must be a whole number, 1 or more, got ${verifierReservedConcurrency}`,
    );
  });

  it('refuses a hook reservation below its provisioned concurrency', () => {
    expect(() =>
      synth({ syncHooks: { reservedConcurrency: 2, provisionedConcurrency: 3 } }),
    ).toThrow('SyncHooks: reservedConcurrency (2) must be at least provisionedConcurrency (3)');
  });

  it('warns that the reservation is unused without the webhook path', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new StreamEventsStack(app, 'Test', {
      paths: { webhook: false, sqs: true },
      verifierReservedConcurrency: 10,
    });

    expect(
      app
        .synth()
        .getStackArtifact(stack.artifactId)
        .messages.map((message) => message.entry.data),
    ).toEqual(
      expect.arrayContaining([expect.stringMatching(/verifierReservedConcurrency is ignored/)]),
    );
  });
});

describe('context "verifierReservedConcurrency" and syncHooks.reservedConcurrency', () => {
  const config = (context: Record<string, unknown>) =>
    appConfigFromContext((key) => context[key]).props;

  it('reads a number from cdk.json or from -c text', () => {
    expect(config({ verifierReservedConcurrency: 50 }).verifierReservedConcurrency).toBe(50);
    expect(config({ verifierReservedConcurrency: '50' }).verifierReservedConcurrency).toBe(50);
    expect(config({ syncHooks: '{"reservedConcurrency":5}' }).syncHooks).toMatchObject({
      reservedConcurrency: 5,
    });
  });

  it('refuses a value that is not a number', () => {
    expect(() => config({ verifierReservedConcurrency: 'many' })).toThrow(
      'context "verifierReservedConcurrency" must be a number, got "many"',
    );
    expect(() => config({ syncHooks: { reservedConcurrency: '5' } })).toThrow(
      'context "syncHooks".reservedConcurrency must be a number',
    );
  });
});
