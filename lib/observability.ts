import { Aws } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StreamEventsAlarms, type AlarmOptions, type AlarmedGroup } from './alarms.js';
import {
  StreamEventsDashboard,
  type DashboardGroup,
  type StreamEventsDashboardProps,
} from './dashboard.js';

export interface ObservabilityProps {
  readonly groups: readonly (AlarmedGroup & DashboardGroup)[];
  /** The webhook path's API stage and verifier (webhook path only). */
  readonly webhook?: StreamEventsDashboardProps['webhook'];
  /** The synchronous hooks' function, when deployed. */
  readonly hooks?: StreamEventsDashboardProps['hooks'];
  /** Thresholds and the optional e-mail subscription. @default - see AlarmOptions */
  readonly alarms?: AlarmOptions;
  /**
   * The namespace the functions count in (their `POWERTOOLS_METRICS_NAMESPACE`).
   * @default `StreamEvents` (`DEFAULT_METRIC_NAMESPACE`), the functions' own default
   */
  readonly metricNamespace?: string;
}

/** The stack's alarms (to one SNS topic) and its CloudWatch dashboard. */
export class Observability extends Construct {
  public readonly alarms: StreamEventsAlarms;
  public readonly dashboard: StreamEventsDashboard;
  /** The dashboard in the CloudWatch console. */
  public readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarms = new StreamEventsAlarms(this, 'Alarms', {
      ...props.alarms,
      groups: props.groups,
      apiStage: props.webhook?.stage,
      metricNamespace: props.metricNamespace,
    });
    this.dashboard = new StreamEventsDashboard(this, 'Dashboard', {
      groups: props.groups,
      webhook: props.webhook,
      hooks: props.hooks,
      metricNamespace: props.metricNamespace,
    });
    const name = this.dashboard.dashboard.dashboardName;
    this.dashboardUrl = `https://console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${name}`;
  }
}
