import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';
import { streamEgressCidrs } from '../../lib/source-allowlist.js';
import { StreamEventsStack } from '../../lib/stream-events-stack.js';

/** A context reader over a plain object, as app.node.tryGetContext reads cdk.json / -c. */
function config(context: Record<string, unknown>): ReturnType<typeof appConfigFromContext> {
  return appConfigFromContext((key) => context[key]);
}

/** The template bin/app.ts would synthesize from `context` (esbuild skipped). */
function templateFrom(context: Record<string, unknown>): Template {
  const { stackName, props } = config(context);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, stackName, props));
}

interface LambdaFunction {
  readonly Properties: { readonly Environment: { readonly Variables: Record<string, unknown> } };
}

/** ALLOWED_SOURCE_CIDRS of every function, keyed by its POWERTOOLS_SERVICE_NAME. */
function allowlistEnv(template: Template): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function') as Record<
    string,
    LambdaFunction
  >;
  return Object.fromEntries(
    Object.values(functions).map(({ Properties: { Environment } }) => [
      Environment.Variables['POWERTOOLS_SERVICE_NAME'],
      Environment.Variables['ALLOWED_SOURCE_CIDRS'],
    ]),
  );
}

describe('context "throttle"', () => {
  it('sets the webhook stage throttling from cdk.json values', () => {
    templateFrom({ throttle: { rateLimit: 50, burstLimit: 100 } }).hasResourceProperties(
      'AWS::ApiGatewayV2::Stage',
      {
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
    );
  });

  it('reads `-c throttle=...` JSON text, and keeps the default for a key left out', () => {
    expect(config({ throttle: '{"rateLimit":250.5}' }).props.throttle).toEqual({
      rateLimit: 250.5,
      burstLimit: undefined,
    });
    templateFrom({ throttle: '{"rateLimit":250.5}' }).hasResourceProperties(
      'AWS::ApiGatewayV2::Stage',
      { DefaultRouteSettings: { ThrottlingRateLimit: 250.5, ThrottlingBurstLimit: 2000 } },
    );
  });

  it('keeps the stack default (1000 / 2000) when unset', () => {
    expect(config({}).props.throttle).toBeUndefined();
    templateFrom({}).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{rate', /context "throttle" is not valid JSON/],
    ['an array', [1, 2], /must be a JSON object like \{"rateLimit"/],
    ['an unknown key', { rate: 5 }, /unknown key\(s\) "rate"; allowed: rateLimit, burstLimit/],
    ['a zero rate', { rateLimit: 0 }, /rateLimit must be a positive number/],
    ['a rate given as text', { rateLimit: '10' }, /rateLimit must be a positive number/],
    ['a negative burst', { burstLimit: -1 }, /burstLimit must be a positive whole number/],
    ['a fractional burst', { burstLimit: 1.5 }, /burstLimit must be a positive whole number/],
  ])('refuses %s', (_name, throttle, message) => {
    expect(() => config({ throttle })).toThrow(message);
  });
});

describe('context "sourceIpAllowlist"', () => {
  it('is off by default and for false: no function gets an allowlist', () => {
    for (const value of [undefined, false, 'false']) {
      expect(config({ sourceIpAllowlist: value }).props.sourceIpAllowlist).toBeUndefined();
    }
    expect(allowlistEnv(templateFrom({}))).toEqual({
      'stream-events-verifier': undefined,
      'stream-events-hooks': undefined,
      'stream-events-consumer': undefined,
    });
  });

  it("true writes Stream's published list into the verifier and the hook function only", () => {
    const published = streamEgressCidrs();
    expect(published).toContain('34.225.10.29/32');
    expect(config({ sourceIpAllowlist: 'true' }).props.sourceIpAllowlist).toEqual(published);

    expect(allowlistEnv(templateFrom({ sourceIpAllowlist: true }))).toEqual({
      'stream-events-verifier': published.join(','),
      'stream-events-hooks': published.join(','),
      'stream-events-consumer': undefined,
    });
  });

  it('takes your own IPv4 and IPv6 CIDRs, as JSON or JSON text', () => {
    const own = ['203.0.113.0/24', '2001:db8::/32'];
    expect(config({ sourceIpAllowlist: own }).props.sourceIpAllowlist).toEqual(own);
    expect(allowlistEnv(templateFrom({ sourceIpAllowlist: JSON.stringify(own) }))).toMatchObject({
      'stream-events-verifier': '203.0.113.0/24,2001:db8::/32',
      'stream-events-hooks': '203.0.113.0/24,2001:db8::/32',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['a string that is not JSON', 'yes', /context "sourceIpAllowlist" is not valid JSON/],
    ['a list of numbers', [10], /must be true, false or a JSON array of CIDRs/],
    ['an object', { cidrs: [] }, /must be true, false or a JSON array of CIDRs/],
    ['an empty list', [], /empty list, which would refuse every request/],
  ])('refuses %s', (_name, sourceIpAllowlist, message) => {
    expect(() => config({ sourceIpAllowlist })).toThrow(message);
  });

  it('fails the synth on an entry that is not a CIDR, naming it', () => {
    expect(() => templateFrom({ sourceIpAllowlist: ['203.0.113.0/24', '10.0.0.0/40'] })).toThrow(
      /Webhook: sourceIpAllowlist\[1\]: "10.0.0.0\/40" has a bad prefix length/,
    );
  });
});

describe('context "maxEventAge"', () => {
  it('reads whole seconds, from cdk.json (a number) or -c (a string), into the verifier', () => {
    expect(config({ maxEventAge: 600 }).props.maxEventAge?.toSeconds()).toBe(600);
    expect(config({ maxEventAge: '900' }).props.maxEventAge?.toSeconds()).toBe(900);

    const verifier = Object.values(
      templateFrom({ maxEventAge: 300 }).findResources('AWS::Lambda::Function') as Record<
        string,
        LambdaFunction
      >,
    ).find((fn) => 'ROUTES' in fn.Properties.Environment.Variables);
    expect(verifier?.Properties.Environment.Variables['MAX_EVENT_AGE_SECONDS']).toBe('300');
  });

  it('is off when unset or false', () => {
    expect(config({}).props).not.toHaveProperty('maxEventAge');
    expect(config({ maxEventAge: false }).props).not.toHaveProperty('maxEventAge');
  });

  it.each([
    ['a duration text', '5m'],
    ['zero', 0],
    ['a fraction', 1.5],
    ['true', true],
  ])('refuses %s, naming the key and the unit', (_what, value) => {
    expect(() => config({ maxEventAge: value })).toThrow(
      `context "maxEventAge" must be a whole number of seconds, at least 1, got ${JSON.stringify(value)}`,
    );
  });
});
