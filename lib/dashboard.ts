import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  TextWidget,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_METRIC_NAMESPACE, receivedMetric, searchOf } from './stream-events-metrics.js';

/** A consumer group as the dashboard shows it. */
export interface DashboardGroup {
  readonly name: string;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumer: IFunction;
}

export interface StreamEventsDashboardProps {
  readonly groups: readonly DashboardGroup[];
  /** The webhook path's API stage and verifier; without them, no API or verifier rows. */
  readonly webhook?: { readonly stage: HttpStage; readonly verifier: IFunction };
  /** The synchronous hooks' function, when deployed. */
  readonly hooks?: IFunction;
  /**
   * The namespace the functions count in (their `POWERTOOLS_METRICS_NAMESPACE`).
   * @default `StreamEvents` (`DEFAULT_METRIC_NAMESPACE`), the functions' own default
   */
  readonly metricNamespace?: string;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;

/**
 * One CloudWatch dashboard for the stack: the group queues (depth, DLQ, age of the oldest
 * message), the webhook API (requests, 4xx, 5xx, latency), the verifier's counts (received,
 * rejected by reason, enqueued by group), the consumers' counts per product family (handled,
 * duplicates, failures) and every function's duration and errors.
 */
export class StreamEventsDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StreamEventsDashboardProps) {
    super(scope, id);
    const namespace = props.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
    const search = (
      metricName: string,
      dimensionNames: readonly string[],
      filter: string,
      label: string,
    ): IMetric => searchOf(namespace, metricName, dimensionNames, filter, label, PERIOD);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []): GraphWidget =>
      new GraphWidget({ title, left, right, width: WIDTH, height: 6 });
    const queueMetric = (queue: Queue, which: 'visible' | 'age', label: string): IMetric =>
      (which === 'visible'
        ? queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD })
        : queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: PERIOD })
      ).with({ label });

    const rows: IWidget[][] = [];
    rows.push([
      graph(
        'Queue depth (messages visible)',
        props.groups.map((g) => queueMetric(g.queue, 'visible', g.name)),
      ),
      graph(
        'Dead-letter queues (messages visible)',
        props.groups.map((g) => queueMetric(g.deadLetterQueue, 'visible', `${g.name} DLQ`)),
      ),
      graph(
        'Age of the oldest message (seconds)',
        props.groups.map((g) => queueMetric(g.queue, 'age', g.name)),
      ),
    ]);

    if (props.webhook !== undefined) {
      const { stage, verifier } = props.webhook;
      rows.push([
        graph('Webhook API requests and errors', [
          stage.metricCount({ statistic: 'Sum', period: PERIOD, label: 'requests' }),
          stage.metricClientError({ period: PERIOD, label: '4xx' }),
          stage.metricServerError({ period: PERIOD, label: '5xx' }),
        ]),
        graph('Webhook API latency (ms)', [
          stage.metricLatency({ statistic: 'p50', period: PERIOD, label: 'p50' }),
          stage.metricLatency({ statistic: 'p99', period: PERIOD, label: 'p99' }),
        ]),
        graph('Verifier: received and rejected by reason', [
          receivedMetric(namespace, PERIOD).with({ label: 'received' }),
          search('EventsRejected', ['reason'], '', 'rejected'),
        ]),
      ]);
      rows.push([
        graph('Verifier: enqueued by group and family', [
          search('EventsEnqueued', ['group', 'family'], '', 'enqueued'),
          search('EventsUnrouted', ['family'], '', 'unrouted'),
        ]),
        lambdaGraph('Verifier', verifier),
        ...(props.hooks === undefined ? [] : [lambdaGraph('Synchronous hooks', props.hooks)]),
      ]);
    }

    for (const group of props.groups) {
      const filter = `group="${group.name}"`;
      rows.push([
        graph(`Group "${group.name}": handled and duplicates by family`, [
          search('EventsHandled', ['group', 'family'], filter, 'handled'),
          search('EventsDuplicate', ['group', 'family'], filter, 'duplicate'),
        ]),
        graph(`Group "${group.name}": failed, unhandled, filtered by family`, [
          search('EventsFailed', ['group', 'family'], filter, 'failed'),
          search('EventsUnhandled', ['group', 'family'], filter, 'unhandled'),
          search('EventsFiltered', ['group', 'family'], filter, 'filtered'),
        ]),
        lambdaGraph(`Group "${group.name}" consumer`, group.consumer),
      ]);
    }

    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '**Stream events**: queues first, then the webhook path, then each consumer group. ' +
          `Counts are per 5 minutes; the \`${namespace}\` namespace holds the custom metrics.`,
        width: 3 * WIDTH,
        height: 1,
      }),
    );
    for (const row of rows) this.dashboard.addWidgets(...row);
  }
}

function lambdaGraph(title: string, fn: IFunction): GraphWidget {
  return new GraphWidget({
    title: `${title}: duration (ms) and errors`,
    left: [
      fn.metricDuration({ statistic: 'p50', period: PERIOD, label: 'p50' }),
      fn.metricDuration({ statistic: 'p99', period: PERIOD, label: 'p99' }),
    ],
    right: [
      fn.metricErrors({ period: PERIOD, label: 'errors' }),
      fn.metricThrottles({ period: PERIOD, label: 'throttles' }),
    ],
    width: WIDTH,
    height: 6,
  });
}
