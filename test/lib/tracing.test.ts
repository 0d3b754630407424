/**
 * Optional X-Ray tracing: one prop (`tracing`, context key `tracing`) turns on active tracing for
 * every function, each role gaining exactly the two calls the X-Ray SDK makes; off by default.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

const HANDLERS = 'lambda/handlers/index.ts';

/** Every function: webhook, hooks and two consumer groups. */
const EVERY_FUNCTION: StreamEventsStackProps = {
  paths: { webhook: true, sqs: true, sns: true },
  consumers: [
    { name: 'all', events: ['*'], entry: HANDLERS },
    { name: 'calls', events: ['call.*'], entry: HANDLERS },
  ],
};

const XRAY_STATEMENT = {
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*',
};

interface LambdaFunction {
  readonly Properties: {
    readonly Role: { readonly 'Fn::GetAtt': readonly [string, string] };
    readonly TracingConfig?: unknown;
  };
}

interface PolicyResource {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: readonly Record<string, unknown>[] };
    readonly Roles: readonly { readonly Ref: string }[];
  };
}

function synth(props: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

function functions(template: Template): LambdaFunction[] {
  return Object.values(template.findResources('AWS::Lambda::Function')) as LambdaFunction[];
}

/** The X-Ray statements in the inline policies of `fn`'s role. */
function xrayStatements(template: Template, fn: LambdaFunction): Record<string, unknown>[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[];
  return policies
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) => JSON.stringify(statement.Action).includes('xray:'));
}

describe('tracing off (the default)', () => {
  const template = synth(EVERY_FUNCTION);

  it('traces no function and grants no X-Ray call', () => {
    const all = functions(template);
    expect(all).toHaveLength(4);
    for (const fn of all) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect(xrayStatements(template, fn)).toEqual([]);
    }
  });
});

describe('tracing on', () => {
  const template = synth({ ...EVERY_FUNCTION, tracing: true });

  it('traces every function actively', () => {
    const all = functions(template);
    expect(all).toHaveLength(4);
    for (const fn of all) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it("gives each function's role exactly the two X-Ray calls, on '*' (X-Ray has no resources)", () => {
    for (const fn of functions(template)) {
      expect(xrayStatements(template, fn)).toEqual([XRAY_STATEMENT]);
    }
  });
});

describe('context "tracing"', () => {
  const config = (value: unknown) =>
    appConfigFromContext((key) => (key === 'tracing' ? value : undefined)).props.tracing;

  it('reads true / false from cdk.json or -c text, and leaves it unset otherwise', () => {
    expect(config(true)).toBe(true);
    expect(config('true')).toBe(true);
    expect(config('false')).toBe(false);
    expect(config(undefined)).toBeUndefined();
  });

  it('refuses anything else', () => {
    expect(() => config('on')).toThrow('context "tracing" must be true or false, got "on"');
  });
});
