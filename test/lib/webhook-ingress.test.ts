import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { WebhookIngress, type WebhookIngressProps } from '../../lib/webhook-ingress.js';
import { DEFAULT_MAX_BODY_BYTES, LARGEST_ARRIVING_BODY_BYTES } from '../../contract/limits.js';

type Limits = Omit<WebhookIngressProps, 'routes' | 'secret'>;

/**
 * A WebhookIngress in its own stack (esbuild skipped), with a plain secret and two routes: a
 * standard queue for `messages`, a FIFO one for `calls`.
 */
function ingress(limits: Limits = {}): { stack: Stack; ingress: WebhookIngress } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const routes = [
    { group: 'messages', patterns: ['message.*'], queue: new Queue(stack, 'Messages') },
    { group: 'calls', patterns: ['call.*'], queue: new Queue(stack, 'Calls', { fifo: true }) },
  ];
  const secret = new Secret(stack, 'Secret');
  return { stack, ingress: new WebhookIngress(stack, 'Webhook', { routes, secret, ...limits }) };
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

  it('writes the access log to its own log group, with a retention, and no headers', () => {
    const { stack, ingress: webhook } = ingress();
    const template = Template.fromStack(stack);
    const logGroupId = stack.getLogicalId(webhook.accessLogGroup.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        Format: Match.not(Match.stringLikeRegexp('header|requestBody|querystring')),
      },
    });
  });

  it('passes the size limits to the verifier as strings', () => {
    const { stack } = ingress({ maxBodyBytes: 100, maxInflatedBytes: 100 });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MAX_BODY_BYTES: '100', MAX_INFLATED_BYTES: '100' } },
    });
  });

  it('passes maxEventAge to the verifier in seconds, and nothing when it is off', () => {
    const variables = (limits: Limits) =>
      Object.values(
        Template.fromStack(ingress(limits).stack).findResources('AWS::Lambda::Function'),
      ).map(
        (fn) => (fn.Properties as { Environment: { Variables: object } }).Environment.Variables,
      );

    expect(variables({ maxEventAge: Duration.minutes(10) })).toEqual([
      expect.objectContaining({ MAX_EVENT_AGE_SECONDS: '600' }),
    ]);
    expect(variables({})).toEqual([
      expect.not.objectContaining({ MAX_EVENT_AGE_SECONDS: expect.anything() }),
    ]);
  });

  it('caps bodies by default at the largest one an HTTP API can hand the verifier', () => {
    const { stack } = ingress();

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MAX_BODY_BYTES: String(LARGEST_ARRIVING_BODY_BYTES) } },
    });
  });

  it('refuses a body cap no request can reach, naming the limit', () => {
    expect(() => ingress({ maxBodyBytes: LARGEST_ARRIVING_BODY_BYTES + 1 })).toThrow(
      `Webhook: maxBodyBytes (${LARGEST_ARRIVING_BODY_BYTES + 1}) is larger than any body ` +
        `API Gateway can hand a function (${LARGEST_ARRIVING_BODY_BYTES} bytes`,
    );
  });

  it('passes the routing table as ROUTES, JSON completed by CloudFormation', () => {
    const { stack } = ingress();

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          ROUTES: {
            'Fn::Join': [
              '',
              [
                '[{"group":"messages","patterns":["message.*"],"queueUrl":"',
                { Ref: Match.stringLikeRegexp('^Messages') },
                '","fifo":false},{"group":"calls","patterns":["call.*"],"queueUrl":"',
                { Ref: Match.stringLikeRegexp('^Calls') },
                '","fifo":true}]',
              ],
            ],
          },
          QUEUE_URL: Match.absent(),
        },
      },
    });
  });

  it('lets the verifier send to each route queue', () => {
    const { stack } = ingress();

    const template = Template.fromStack(stack);
    for (const queue of ['Messages', 'Calls']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${queue}`), 'Arn'] },
            },
          ]),
        },
      });
    }
  });

  it('rejects an empty routing table', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
    const secret = new Secret(stack, 'Secret');

    expect(() => new WebhookIngress(stack, 'Webhook', { routes: [], secret })).toThrow(
      /Webhook: routes must list at least one consumer group/,
    );
  });

  it.each<[string, Limits, RegExp | string]>([
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
      `maxInflatedBytes (1000) must be at least maxBodyBytes (${DEFAULT_MAX_BODY_BYTES})`,
    ],
    [
      'a maxEventAge of less than a second',
      { maxEventAge: Duration.millis(500) },
      'Webhook: maxEventAge must be a whole number of seconds, at least 1, got 0.5 s',
    ],
    [
      'a maxEventAge of a fraction of seconds',
      { maxEventAge: Duration.millis(1500) },
      'Webhook: maxEventAge must be a whole number of seconds, at least 1, got 1.5 s',
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
