import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';
import { SyncHooks, type SyncHooksProps } from '../../lib/sync-hooks.js';
import { LARGEST_ARRIVING_BODY_BYTES } from '../../contract/limits.js';

const ROUTE_KEYS = [
  'POST /hooks/before-message-send',
  'POST /hooks/custom-commands',
  'POST /hooks/pending-messages/PassOnPendingMessage',
  'POST /hooks/pending-messages/DeletedPendingMessage',
];

interface LambdaFunction {
  Properties: { Environment: { Variables: Record<string, unknown> } } & Record<string, unknown>;
}

/** SyncHooks on its own HTTP API, secret and claims table, in a stack of its own (no esbuild). */
function hooks(props: Omit<SyncHooksProps, 'api' | 'secret' | 'idempotencyTable'> = {}): {
  stack: Stack;
  hooks: SyncHooks;
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const api = new HttpApi(stack, 'Api');
  const secret = new Secret(stack, 'Secret');
  const idempotencyTable = new Table(stack, 'Claims', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
  });
  return {
    stack,
    hooks: new SyncHooks(stack, 'Hooks', { api, secret, idempotencyTable, ...props }),
  };
}

function synthStack(props: StreamEventsStackProps): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new StreamEventsStack(app, 'Test', props));
}

function hookFunction(template: Template): [string, LambdaFunction] {
  const all = template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>;
  const found = Object.entries(all).filter(
    ([, fn]) => 'HOOK_BUDGET_MS' in fn.Properties.Environment.Variables,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('SyncHooks', () => {
  const { stack, hooks: construct } = hooks();
  const template = Template.fromStack(stack);
  const [functionId, fn] = hookFunction(template);

  it('adds the four POST routes to the API, each integrated with the one hook function', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routes.sort()).toEqual([...ROUTE_KEYS].sort());
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
    expect(construct.routes).toHaveLength(4);
  });

  it('lets API Gateway invoke the function on each route only', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 4);
    template.allResourcesProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
  });

  it('runs the hooks entry on nodejs22.x, arm64, 256 MB, 3 s timeout', () => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 3,
    });
  });

  it('sets the hook env by name: the secret ARN, never a secret value; the claims table', () => {
    expect(fn.Properties.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      STREAM_SECRET_ID: { Ref: expect.stringMatching(/^Secret/) },
      IDEMPOTENCY_TABLE: { Ref: expect.stringMatching(/^Claims/) },
      DEDUPE_TTL_SECONDS: '86400',
      HOOK_BUDGET_MS: '1000',
      MAX_BODY_BYTES: String(LARGEST_ARRIVING_BODY_BYTES),
      MAX_INFLATED_BYTES: '16777216',
      POWERTOOLS_SERVICE_NAME: 'stream-events-hooks',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('may read the secret and its own claims (keys under its prefix) in the table: no SQS', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } };
    }[];
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: expect.stringMatching(/^Secret/) },
      },
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Claims/), 'Arn'] },
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['hook:pending-messages#*'] },
        },
      },
    ]);
  });

  it('keeps claims for the dedupe window given', () => {
    const [, windowed] = hookFunction(
      Template.fromStack(hooks({ dedupeWindow: Duration.hours(2) }).stack),
    );
    expect(windowed.Properties.Environment.Variables.DEDUPE_TTL_SECONDS).toBe('7200');
  });

  it('publishes no alias or provisioned concurrency by default', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 0);
    expect(construct.alias).toBeUndefined();
    expect(construct.target).toBe(construct.handler);
  });

  it('exposes the three URLs Stream is given', () => {
    const url = (path: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Api/), 'ApiEndpoint'] }, path]],
    });
    expect(stack.resolve(construct.beforeMessageSendUrl)).toEqual(
      url('/hooks/before-message-send'),
    );
    expect(stack.resolve(construct.customCommandsUrl)).toEqual(url('/hooks/custom-commands'));
    expect(stack.resolve(construct.pendingMessagesUrl)).toEqual(url('/hooks/pending-messages'));
  });
});

describe('SyncHooks with provisioned concurrency', () => {
  const { stack, hooks: construct } = hooks({
    provisionedConcurrency: 2,
    budgetMs: 800,
  });
  const template = Template.fromStack(stack);

  it('publishes an alias "live" with that many warm instances', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 1);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    expect(construct.target).toBe(construct.alias);
  });

  it('integrates the routes with the alias, not $LATEST', () => {
    const [aliasId] = Object.keys(template.findResources('AWS::Lambda::Alias'));
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { Ref: aliasId },
    });
    template.allResourcesProperties('AWS::Lambda::Permission', {
      FunctionName: { Ref: aliasId },
    });
  });

  it('passes the budget in ms', () => {
    const [, fn] = hookFunction(template);
    expect(fn.Properties.Environment.Variables.HOOK_BUDGET_MS).toBe('800');
  });
});

describe('SyncHooks validation', () => {
  it.each([
    [0, /budgetMs must be a whole number from 1 to 5000, got 0/],
    [5001, /from 1 to 5000, got 5001/],
    [3000, /budgetMs \(3000\) must be below the hook function's timeout/],
  ])('rejects a budgetMs of %s', (budgetMs, message) => {
    expect(() => hooks({ budgetMs })).toThrow(message);
  });

  it('refuses a body cap no request can reach', () => {
    expect(() => hooks({ maxBodyBytes: LARGEST_ARRIVING_BODY_BYTES + 1 })).toThrow(
      `Hooks: maxBodyBytes (${LARGEST_ARRIVING_BODY_BYTES + 1}) is larger than any body API ` +
        `Gateway can hand a function (${LARGEST_ARRIVING_BODY_BYTES} bytes`,
    );
  });

  it.each([-1, 1.5, Number.NaN])('rejects provisionedConcurrency %s', (provisionedConcurrency) => {
    expect(() => hooks({ provisionedConcurrency })).toThrow(
      /provisionedConcurrency must be a whole number, 0 or more/,
    );
  });
});

describe('StreamEventsStack syncHooks', () => {
  const template = synthStack({ syncHooks: { enabled: true } });

  it('adds the hook routes to the webhook API, keeping POST /webhook', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(['POST /webhook', ...ROUTE_KEYS].sort());
  });

  it('reads the webhook secret, and claims in the table the consumers share', () => {
    const [, fn] = hookFunction(template);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      STREAM_SECRET_ID: { Ref: expect.stringMatching(/^StreamSecret/) },
      IDEMPOTENCY_TABLE: { Ref: expect.stringMatching(/^Idempotency/) },
      DEDUPE_TTL_SECONDS: '86400',
    });
    const [, short] = hookFunction(
      synthStack({ syncHooks: { enabled: true }, dedupeWindow: Duration.hours(1) }),
    );
    expect(short.Properties.Environment.Variables.DEDUPE_TTL_SECONDS).toBe('3600');
  });

  it('outputs the three URLs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const joined = (id: string) =>
      (outputs[id]?.Value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1];
    expect(joined('BeforeMessageSendUrl')).toBe('/hooks/before-message-send');
    expect(joined('CustomCommandsUrl')).toBe('/hooks/custom-commands');
    expect(joined('PendingMessagesUrl')).toBe('/hooks/pending-messages');
    template.hasOutput('CustomCommandsUrl', {
      Description: Match.stringLikeRegexp('\\?type=\\{type\\}'),
    });
  });

  it('deploys it by default with the webhook path', () => {
    const on = synthStack({});
    const routes = Object.values(on.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(['POST /webhook', ...ROUTE_KEYS].sort());
    hookFunction(on);
    expect(Object.keys(on.toJSON().Outputs as object)).toEqual(
      expect.arrayContaining(['BeforeMessageSendUrl', 'CustomCommandsUrl', 'PendingMessagesUrl']),
    );
  });

  it('deploys none of it when disabled or when the webhook path is off', () => {
    for (const props of [
      { syncHooks: { enabled: false } },
      { paths: { webhook: false, sqs: true } },
    ]) {
      const off = synthStack(props);
      off.resourceCountIs('AWS::ApiGatewayV2::Route', props.paths === undefined ? 1 : 0);
      const all = off.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>;
      expect(
        Object.values(all).filter((fn) => 'HOOK_BUDGET_MS' in fn.Properties.Environment.Variables),
      ).toEqual([]);
      const outputIds = Object.keys(off.toJSON().Outputs as object);
      for (const id of ['BeforeMessageSendUrl', 'CustomCommandsUrl', 'PendingMessagesUrl']) {
        expect(outputIds).not.toContain(id);
      }
    }
  });

  it('fails at synth when enabled without the webhook path', () => {
    expect(() =>
      synthStack({ paths: { webhook: false, sqs: true }, syncHooks: { enabled: true } }),
    ).toThrow(/syncHooks: .*paths\.webhook is off/);
  });
});

describe('context "syncHooks"', () => {
  const config = (value: unknown) =>
    appConfigFromContext((key) => (key === 'syncHooks' ? value : undefined)).props.syncHooks;

  it('reads an object (from cdk.json or -c JSON text); settings imply enabled', () => {
    const expected = {
      enabled: true,
      budgetMs: 700,
      provisionedConcurrency: 1,
    };
    expect(config({ budgetMs: 700, provisionedConcurrency: 1 })).toEqual(expected);
    expect(config('{"budgetMs":700,"provisionedConcurrency":1}')).toEqual(expected);
  });

  it('reads true / false', () => {
    expect(config('true')).toEqual({ enabled: true });
    expect(config(false)).toEqual({ enabled: false });
    expect(config(undefined)).toBeUndefined();
  });

  it('rejects unknown keys and wrong types', () => {
    expect(() => config({ budget: 1 })).toThrow(/unknown key\(s\) "budget"/);
    expect(() => config({ budgetMs: '1' })).toThrow(/budgetMs must be a number/);
    expect(() => config(3)).toThrow(/must be true, false or a JSON object/);
  });
});
