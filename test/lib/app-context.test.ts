import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';

/** A context reader over a plain object, as app.node.tryGetContext reads cdk.json / -c. */
function config(context: Record<string, unknown>): ReturnType<typeof appConfigFromContext> {
  return appConfigFromContext((key) => context[key]);
}

describe('appConfigFromContext', () => {
  it('leaves every prop to the stack default when no context is set', () => {
    expect(config({})).toEqual({ stackName: 'StreamEvents', props: {} });
  });

  it('reads the values cdk.json holds (JSON values)', () => {
    const { stackName, props } = config({
      stackName: 'Events',
      secret: 'stream/api',
      consumers: [
        {
          name: 'messages',
          events: ['message.*'],
          entry: 'lambda/handlers/messages.ts',
          batchSize: 5,
          maxConcurrency: 3,
          maxBatchingWindow: 2,
          timeout: 20,
        },
      ],
      paths: { webhook: true, sns: true },
      snsFilterPolicies: true,
      ordering: 'none',
    });

    expect(stackName).toBe('Events');
    expect(props).toEqual({
      secret: 'stream/api',
      consumers: [
        {
          name: 'messages',
          events: ['message.*'],
          entry: 'lambda/handlers/messages.ts',
          batchSize: 5,
          maxConcurrency: 3,
          maxBatchingWindow: expect.any(Duration) as unknown,
          timeout: expect.any(Duration) as unknown,
        },
      ],
      paths: { webhook: true, sqs: undefined, sns: true },
      snsFilterPolicies: true,
      ordering: 'none',
    });
    expect(props.consumers?.[0]?.maxBatchingWindow?.toSeconds()).toBe(2);
    expect(props.consumers?.[0]?.timeout?.toSeconds()).toBe(20);
  });

  it('reads the strings `-c key=value` passes, JSON included', () => {
    const { props } = config({
      consumers: '[{"name":"all","events":["*"]}]',
      paths: '{"sqs":false,"sns":"false"}',
      snsFilterPolicies: 'false',
      ordering: 'per-entity',
    });

    expect(props).toEqual({
      consumers: [{ name: 'all', events: ['*'] }],
      paths: { sqs: false, sns: false },
      snsFilterPolicies: false,
      ordering: 'per-entity',
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a secret that is not a string', { secret: 42 }, /context "secret" must be a string, got 42/],
    ['consumers that are not JSON', { consumers: '[{' }, /context "consumers" is not valid JSON/],
    ['consumers that are not an array', { consumers: { name: 'a' } }, /must be a JSON array/],
    [
      'a consumer without events',
      { consumers: [{ name: 'a' }] },
      /context "consumers"\[0\]\.events must be an array of event patterns/,
    ],
    [
      'a consumer key the stack does not know',
      { consumers: [{ name: 'a', events: ['*'], timeoutSeconds: 3 }] },
      /context "consumers"\[0\]: unknown key\(s\) "timeoutSeconds"; allowed: name, events, entry/,
    ],
    [
      'a duration that is not a number',
      { consumers: [{ name: 'a', events: ['*'], timeout: '30s' }] },
      /context "consumers"\[0\]\.timeout must be a number/,
    ],
    ['an unknown path', { paths: { http: true } }, /context "paths": unknown key\(s\) "http"/],
    ['a path that is not a boolean', { paths: { sqs: 'no' } }, /"paths.sqs" must be true or false/],
    [
      'an unknown ordering',
      { ordering: 'fifo' },
      /context "ordering" must be "none" or "per-entity", got "fifo"/,
    ],
    [
      'a snsFilterPolicies that is not a boolean',
      { snsFilterPolicies: 'yes' },
      /context "snsFilterPolicies" must be true or false/,
    ],
  ])('rejects %s', (_name, context, message) => {
    expect(() => config(context)).toThrow(message);
  });
});
