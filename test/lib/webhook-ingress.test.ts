import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { WebhookIngress, type WebhookIngressProps } from '../../lib/webhook-ingress.js';

type Limits = Omit<WebhookIngressProps, 'queue' | 'secret'>;

/** A WebhookIngress in its own stack (esbuild skipped), with a plain queue and secret. */
function ingress(limits: Limits = {}): { stack: Stack; ingress: WebhookIngress } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const queue = new Queue(stack, 'Queue');
  const secret = new Secret(stack, 'Secret');
  return { stack, ingress: new WebhookIngress(stack, 'Webhook', { queue, secret, ...limits }) };
}

describe('WebhookIngress', () => {
  it('exposes the webhook URL as the API endpoint plus /webhook', () => {
    const { stack, ingress: webhook } = ingress();

    expect(stack.resolve(webhook.webhookUrl)).toEqual({
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [expect.stringMatching(/^WebhookApi/), 'ApiEndpoint'] }, '/webhook'],
      ],
    });
  });

  it('applies a custom throttle to the default stage', () => {
    const { stack } = ingress({ throttle: { rateLimit: 500, burstLimit: 1000 } });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  it('passes the size limits to the verifier as strings', () => {
    const { stack } = ingress({ maxBodyBytes: 100, maxInflatedBytes: 100 });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MAX_BODY_BYTES: '100', MAX_INFLATED_BYTES: '100' } },
    });
  });

  it.each<[string, Limits, RegExp]>([
    [
      'a negative maxBodyBytes',
      { maxBodyBytes: -1 },
      /Webhook: maxBodyBytes must be a positive integer, got -1/,
    ],
    [
      'a NaN maxInflatedBytes',
      { maxInflatedBytes: NaN },
      /maxInflatedBytes must be a positive integer, got NaN/,
    ],
    [
      'maxInflatedBytes below the default maxBodyBytes',
      { maxInflatedBytes: 1_000 },
      /maxInflatedBytes \(1000\) must be at least maxBodyBytes \(6000000\)/,
    ],
    [
      'a zero rate limit',
      { throttle: { rateLimit: 0 } },
      /throttle.rateLimit must be a positive number, got 0/,
    ],
    [
      'a fractional burst limit',
      { throttle: { burstLimit: 1.5 } },
      /throttle.burstLimit must be a positive integer/,
    ],
  ])('rejects %s', (_name, limits, message) => {
    expect(() => ingress(limits)).toThrow(message);
  });
});
