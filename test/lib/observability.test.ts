/**
 * The alarms and the dashboard, as the stack builds them for its shapes: the default (webhook,
 * one group), several groups with an e-mail, and no webhook path (no API to watch).
 */
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StreamEventsStack, type StreamEventsStackProps } from '../../lib/stream-events-stack.js';

const HANDLERS = 'lambda/handlers/index.ts';

function synth(props?: StreamEventsStackProps): { stack: StreamEventsStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new StreamEventsStack(app, 'Test', props);
  return { stack, template: Template.fromStack(stack) };
}

interface AlarmResource {
  readonly Properties: Record<string, unknown> & {
    readonly AlarmActions: unknown[];
    readonly OKActions: unknown[];
  };
}

function alarms(template: Template): AlarmResource[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')) as AlarmResource[];
}

/** The topic's `Ref`, which every alarm action must be. */
function topicRef(template: Template): { Ref: string } {
  const [id] = Object.keys(
    template.findResources('AWS::SNS::Topic', {
      Properties: { DisplayName: 'Stream events alarms' },
    }),
  );
  return { Ref: id ?? 'no alarm topic' };
}

/**
 * Every metric line of every dashboard graph, as CloudWatch reads it: `[namespace, name, ...]`
 * for a metric, `[{ expression, ... }]` for a search. Deploy-time references become `TOKEN`.
 */
function dashboardMetrics(template: Template): unknown[][] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
    Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
  }[];
  const parts = dashboard?.Properties.DashboardBody['Fn::Join'][1] ?? [];
  const body = parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  const { widgets } = JSON.parse(body) as { widgets: { properties: { metrics?: unknown[][] } }[] };
  return widgets.flatMap((widget) => widget.properties.metrics ?? []);
}

function dashboardBody(template: Template): string {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
    Properties: { DashboardBody: unknown };
  }[];
  return JSON.stringify(dashboard?.Properties.DashboardBody);
}

describe('observability: the default stack (webhook, one group)', () => {
  const { stack, template } = synth();
  const queues = stack.consumerGroups[0]?.eventQueue;
  const queueId = stack.getLogicalId(queues?.queue.node.defaultChild as never);
  const dlqId = stack.getLogicalId(queues?.deadLetterQueue.node.defaultChild as never);

  it('alarms when the group DLQ holds one message or more', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when the oldest message of the group queue is older than 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it("alarms on the webhook API's 5xx answers, by API and stage", () => {
    const apiId = stack.getLogicalId(stack.ingress?.api.node.defaultChild as never);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: Match.arrayWith([
        { Name: 'ApiId', Value: { Ref: apiId } },
        { Name: 'Stage', Value: '$default' },
      ]),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it("alarms on a spike of rejected signatures, from the verifier metric in the stack's namespace", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'StreamEvents/Test',
      MetricName: 'EventsRejected',
      Dimensions: [
        { Name: 'reason', Value: 'bad_signature' },
        { Name: 'service', Value: 'stream-events-verifier' },
      ],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 20,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('sends every alarm, and its return to OK, to the one alarm topic', () => {
    const all = alarms(template);
    expect(all).toHaveLength(4);
    for (const alarm of all) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef(template)]);
      expect(alarm.Properties.OKActions).toEqual([topicRef(template)]);
    }
  });

  it('encrypts the alarm topic with a key CloudWatch may use, and refuses non-TLS publishing', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Stream events alarms',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the Stream events alarm topic',
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef(template)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            }),
          }),
        ]),
      },
    });
  });

  it('subscribes no e-mail unless one is configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('builds a dashboard with the queues, the API, the verifier and the consumer', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = dashboardBody(template);
    expect(body).toContain(queueId);
    expect(body).toContain(dlqId);
    expect(body).toContain('AWS/ApiGateway');
    expect(body).toContain('EventsRejected');
    expect(body).toContain('EventsEnqueued');
    expect(body).toMatch(/MetricName=\W+EventsHandled\W+ group=\W+all\W/);
    expect(body).toContain('EventsDuplicate');
    expect(body).toContain('EventsFailed');
  });

  it("graphs the custom metrics from the stack's namespace only, quoted in each SEARCH", () => {
    const metrics = dashboardMetrics(template);
    const namespaces = metrics.flatMap((m) => (typeof m[0] === 'string' ? [m[0]] : []));
    const schemas = metrics.flatMap((m) => {
      const expression = (m[0] as { expression?: string }).expression ?? '';
      return [...expression.matchAll(/SEARCH\('\{([^,]*),/g)].map((match) => match[1]);
    });

    expect(new Set(namespaces.filter((ns) => !ns.startsWith('AWS/')))).toEqual(
      new Set(['StreamEvents/Test']),
    );
    expect(schemas.length).toBeGreaterThan(5);
    expect(new Set(schemas)).toEqual(new Set(['"StreamEvents/Test"']));
  });

  it('outputs the alarm topic ARN and the dashboard URL', () => {
    template.hasOutput('AlarmTopicArn', { Value: topicRef(template) });
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('#dashboards:name=')])] },
    });
  });
});

describe('observability: two groups, FIFO, an e-mail and custom thresholds', () => {
  const { stack, template } = synth({
    ordering: 'per-entity',
    consumers: [
      { name: 'all', events: ['*'], entry: HANDLERS },
      { name: 'calls', events: ['call.*'], entry: HANDLERS },
    ],
    alarms: {
      email: 'ops@example.com',
      oldestMessageAge: Duration.minutes(5),
      badSignatures: 50,
      serverErrors: 1,
    },
  });

  it('has a DLQ and an age alarm for each group', () => {
    for (const group of stack.consumerGroups) {
      const dlqId = stack.getLogicalId(group.eventQueue.deadLetterQueue.node.defaultChild as never);
      const queueId = stack.getLogicalId(group.eventQueue.queue.node.defaultChild as never);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 300,
      });
    }
    expect(alarms(template)).toHaveLength(6);
  });

  it('uses the configured thresholds', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'EventsRejected',
      Threshold: 50,
    });
  });

  it('subscribes the e-mail to the alarm topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topicRef(template),
    });
  });

  it("shows each group's queue, DLQ and consumer on the dashboard", () => {
    const body = dashboardBody(template);
    for (const group of stack.consumerGroups) {
      for (const construct of [
        group.eventQueue.queue,
        group.eventQueue.deadLetterQueue,
        group.consumer.lambdaFunction,
      ]) {
        expect(body).toContain(stack.getLogicalId(construct.node.defaultChild as never));
      }
    }
  });
});

describe('observability: two stacks in one account and region (staging and prod)', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  // Both in the app before the first synth, as `cdk deploy` of a two-stack app builds them.
  const stacks = ['StreamEvents-staging', 'StreamEvents-prod']
    .map((name) => new StreamEventsStack(app, name))
    .map((stack) => Template.fromStack(stack));

  it("count in separate namespaces, and each stack's alarm watches the one its functions write", () => {
    const namespaces = stacks.map((template) => {
      const written = Object.values(template.findResources('AWS::Lambda::Function'))
        .map((fn) => fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE as unknown)
        .filter((value) => value !== undefined);
      const [badSignatures] = Object.values(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { MetricName: 'EventsRejected' },
        }),
      );
      // The verifier and the consumer write it; the hook function counts nothing.
      expect(new Set(written).size).toBe(1);
      expect(written).toHaveLength(2);
      expect(badSignatures?.Properties.Namespace).toBe(written[0]);
      return written[0];
    });

    expect(namespaces).toEqual([
      'StreamEvents/StreamEvents-staging',
      'StreamEvents/StreamEvents-prod',
    ]);
  });
});

describe('observability: no webhook path', () => {
  const { template } = synth({ paths: { webhook: false, sqs: true } });

  it('keeps the queue alarms and leaves out the API ones', () => {
    const metricNames = alarms(template).map((alarm) => alarm.Properties.MetricName);
    expect(metricNames.sort()).toEqual([
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
    ]);
    expect(dashboardBody(template)).not.toContain('AWS/ApiGateway');
  });
});

describe('observability: the SNS path', () => {
  const { stack, template } = synth({
    paths: { webhook: false, sns: true },
    consumers: [
      { name: 'all', events: ['*'], entry: HANDLERS },
      { name: 'calls', events: ['call.*'], entry: HANDLERS },
    ],
  });

  it("alarms when a topic subscription's dead-letter queue holds a message, per group", () => {
    for (const group of ['all', 'calls']) {
      const queue = stack.topic!.deadLetterQueues.get(group)!;
      const queueId = stack.getLogicalId(queue.node.defaultChild as never);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmDescription: Match.stringLikeRegexp(`SNS topic could not deliver .* "${group}"`),
        AlarmActions: [topicRef(template)],
      });
    }
    expect(alarms(template)).toHaveLength(6);
  });
});

describe('observability: bad settings fail at synth', () => {
  it.each([
    [{ email: 'not an address' }, /email must be one e-mail address/],
    [{ email: 'a@example.com,b@example.com' }, /email must be one e-mail address/],
    [{ oldestMessageAge: Duration.seconds(30) }, /oldestMessageAge must be at least 1 minute/],
    [{ badSignatures: 0 }, /badSignatures must be a positive whole number/],
    [{ serverErrors: 1.5 }, /serverErrors must be a positive whole number/],
  ])('%j', (alarmOptions, message) => {
    expect(() => synth({ alarms: alarmOptions })).toThrow(message);
  });
});
