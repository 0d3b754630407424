import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { verifierEnv } from '../contract/env/verifier.js';
import { WEBHOOK_PATH } from '../contract/routes.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  LARGEST_ARRIVING_BODY_BYTES,
  SQS_MAX_MESSAGE_BYTES,
} from '../contract/limits.js';
import { grantSecretValue, grantSendMessage } from './grants.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';
import { StreamEventsFunction, assertReservedConcurrency } from './node-function.js';
import { checkedSourceCidrs } from './source-allowlist.js';

/** One consumer group as the verifier needs it: the patterns it takes and its queue. */
export interface WebhookRoute {
  /** The consumer group's name. */
  readonly group: string;
  /** The event patterns the group takes. */
  readonly patterns: readonly string[];
  /** The group's queue; when it is FIFO the verifier sets MessageGroupId and MessageDeduplicationId. */
  readonly queue: IQueue;
}

export interface WebhookIngressProps {
  /**
   * The routing table: the verifier sends each verified event to every group whose patterns
   * match its type (env `ROUTES`, JSON of `{group, patterns, queueUrl, fifo}`; see
   * lambda/lib/domain/routing-table.ts), and may send to each of these queues only.
   */
  readonly routes: readonly WebhookRoute[];
  /** The secret holding the Stream API secret(s); the verifier gets its ARN, never its value. */
  readonly secret: ISecret;
  /**
   * The largest request body accepted, in bytes (413 above); at most what API Gateway can hand
   * a function (`LARGEST_ARRIVING_BODY_BYTES`, contract/limits.ts).
   * @default 4_669_440 - `DEFAULT_MAX_BODY_BYTES`, everything that can arrive
   */
  readonly maxBodyBytes?: number;
  /**
   * The largest a gzip body may inflate to, in bytes (413 above).
   * @default DEFAULT_MAX_INFLATED_BYTES (16 MiB)
   */
  readonly maxInflatedBytes?: number;
  /** The verifier's memory in MB. @default 256 */
  readonly memorySize?: number;
  /**
   * Concurrent executions reserved for the verifier, so busy consumers cannot take them (Stream
   * retries a 429 only three times); they are also its ceiling, so size it above the peak of
   * concurrent deliveries. @default - none: the verifier shares the account's pool
   */
  readonly reservedConcurrency?: number;
  /** Active X-Ray tracing of the verifier. @default false */
  readonly tracing?: boolean;
  /**
   * Request throttling on the API's default stage. Stream retries a 429 only three times, so set
   * this above the app's peak event rate: it is a flood guard, not a budget.
   * @default { rateLimit: 1000, burstLimit: 2000 }
   */
  readonly throttle?: ThrottleSettings;
  /**
   * Only these source addresses (IPv4/IPv6 CIDRs or addresses) may call: the verifier answers
   * anyone else 403 before it reads the body (env `ALLOWED_SOURCE_CIDRS`). A second gate next to
   * the signature, never instead of it. See `streamEgressCidrs()` for Stream's published list.
   * @default - none: any source (the signature decides)
   */
  readonly sourceIpAllowlist?: readonly string[];
  /** How long the API's access log group keeps its logs. @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: RetentionDays;
  /**
   * Refuse (400 `event_too_old`) a signed event whose `created_at` is older than this when it
   * arrives: a replay once its claim has left the dedupe window. Whole seconds, at least 1 (env
   * `MAX_EVENT_AGE_SECONDS`). Events without a readable `created_at` pass.
   * @default - off: any age is accepted
   */
  readonly maxEventAge?: Duration;
}

/**
 * One JSON line per request. Only API Gateway's own request facts: no headers (the signature and
 * API key stay out), no body, no query string (the route key is the route's template).
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The HTTP endpoint Stream POSTs webhooks to: an HTTP API with one route, `POST /webhook`, served
 * by the verifier function, which checks the signature and sends the event to the queue of every
 * consumer group whose patterns match its type.
 */
export class WebhookIngress extends Construct {
  /** The HTTP API. */
  public readonly api: HttpApi;
  /** The API's `$default` stage, which carries the throttling and the access log. */
  public readonly stage: HttpStage;
  /** The log group of the stage's access log. */
  public readonly accessLogGroup: LogGroup;
  /** The `POST /webhook` route. */
  public readonly route: HttpRoute;
  /** The function that verifies and queues each delivery. */
  public readonly verifier: StreamEventsFunction;
  /** The URL to set as the Stream app's webhook URL. */
  public readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: WebhookIngressProps) {
    super(scope, id);
    const maxBodyBytes = props.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const maxInflatedBytes = props.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    const throttle = {
      rateLimit: props.throttle?.rateLimit ?? 1000,
      burstLimit: props.throttle?.burstLimit ?? 2000,
    };
    assertPositiveInteger(id, 'maxBodyBytes', maxBodyBytes);
    assertArrivingBodyCap(id, maxBodyBytes);
    assertPositiveInteger(id, 'maxInflatedBytes', maxInflatedBytes);
    if (maxInflatedBytes < maxBodyBytes) {
      throw new Error(
        `${id}: maxInflatedBytes (${maxInflatedBytes}) must be at least maxBodyBytes (${maxBodyBytes})`,
      );
    }
    if (!Number.isFinite(throttle.rateLimit) || throttle.rateLimit <= 0) {
      throw new Error(
        `${id}: throttle.rateLimit must be a positive number, got ${throttle.rateLimit}`,
      );
    }
    assertPositiveInteger(id, 'throttle.burstLimit', throttle.burstLimit);
    const maxEventAgeSeconds = props.maxEventAge?.toSeconds({ integral: false });
    if (
      maxEventAgeSeconds !== undefined &&
      (!Number.isSafeInteger(maxEventAgeSeconds) || maxEventAgeSeconds < 1)
    ) {
      throw new Error(
        `${id}: maxEventAge must be a whole number of seconds, at least 1, got ${maxEventAgeSeconds} s`,
      );
    }
    assertReservedConcurrency(id, props.reservedConcurrency);
    if (props.routes.length === 0) {
      throw new Error(`${id}: routes must list at least one consumer group`);
    }
    const allowedSourceCidrs =
      props.sourceIpAllowlist === undefined
        ? null
        : checkedSourceCidrs(id, props.sourceIpAllowlist);

    this.verifier = new StreamEventsFunction(this, 'Verifier', {
      entry: 'lambda/verifier/index.ts',
      description: 'Verifies Stream webhook signatures and queues the events',
      memorySize: props.memorySize,
      reservedConcurrency: props.reservedConcurrency,
      tracing: props.tracing,
      // Stream waits 6 s per attempt: answer (5xx at worst) before it gives up.
      timeout: Duration.seconds(5),
      environment: verifierEnv(
        {
          routes: props.routes.map((route) => ({
            group: route.group,
            patterns: route.patterns,
            queueUrl: route.queue.queueUrl,
            fifo: route.queue.fifo,
          })),
          // The ARN names the secret; the verifier reads the value at cold start.
          secretId: props.secret.secretArn,
          maxBodyBytes,
          maxInflatedBytes,
          maxQueueMessageBytes: SQS_MAX_MESSAGE_BYTES,
          // Set by LargeEventBucket.grantStore, beside its grant.
          largeEventBucket: null,
          allowedSourceCidrs,
          maxEventAgeSeconds: maxEventAgeSeconds ?? null,
        },
        // Queue URLs are deploy-time tokens: toJsonString writes JSON that CloudFormation completes.
        { toJson: (value) => Stack.of(this).toJsonString(value) },
      ),
    });
    for (const route of props.routes) grantSendMessage(route.queue, this.verifier);
    grantSecretValue(props.secret, this.verifier);

    // The default stage is declared here (same id as HttpApi's own) so it can carry throttling.
    this.api = new HttpApi(this, 'Api', {
      description: 'Receives Stream webhooks',
      createDefaultStage: false,
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });
    const [route] = this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('Verifier', this.verifier, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });
    if (route === undefined) {
      throw new Error(`${id}: the HTTP API did not create the POST /webhook route`);
    }
    acknowledgeNagFindings(route, {
      id: 'AwsSolutions-APIG4',
      reason:
        'Stream cannot present IAM, Cognito or JWT credentials: it signs each webhook with ' +
        'HMAC-SHA256 of the API secret (X-Signature), which the verifier checks before queueing',
    });
    this.route = route;
    this.webhookUrl = `${this.api.apiEndpoint}/webhook`;
  }
}

/**
 * A cap above what can arrive would never answer 413: API Gateway or Lambda refuses the request
 * first, with an error of its own. Shared with the hook function, which sits behind the same API.
 */
export function assertArrivingBodyCap(id: string, maxBodyBytes: number): void {
  if (maxBodyBytes > LARGEST_ARRIVING_BODY_BYTES) {
    throw new Error(
      `${id}: maxBodyBytes (${maxBodyBytes}) is larger than any body API Gateway can hand a ` +
        `function (${LARGEST_ARRIVING_BODY_BYTES} bytes: Lambda's 6 MB invoke payload holds the ` +
        'base64 body and the rest of the event); set it to at most that, or leave it out',
    );
  }
}

function assertPositiveInteger(id: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${id}: ${name} must be a positive integer, got ${value}`);
  }
}
