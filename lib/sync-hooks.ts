import { Duration } from 'aws-cdk-lib';
import {
  type HttpApi,
  HttpMethod,
  type HttpRoute,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Alias, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { syncHooksEnv } from '../contract/env/sync-hooks.js';
import {
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_SYNC_HOOK_BUDGET_MS,
  SYNC_HOOK_TIMEOUT_MS,
} from '../contract/defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_BODY_BYTES } from '../contract/limits.js';
import { SYNC_HOOK_CLAIMS_PREFIX } from '../contract/names.js';
import { PENDING_MESSAGE_CALLBACKS, SYNC_HOOK_PATHS } from '../contract/routes.js';
import { DEFAULT_SYNC_HOOKS_ENTRY, entryFileProblem } from '../contract/entry-file.js';
import { grantSecretValue } from './grants.js';
import { IDEMPOTENCY_ACTIONS } from './idempotency-table.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';
import { StreamEventsFunction, assertReservedConcurrency } from './node-function.js';
import { checkedSourceCidrs } from './source-allowlist.js';
import { assertArrivingBodyCap } from './webhook-ingress.js';

/**
 * Stream waits 1.5 s by default for Before Message Send (at most 5 s when configured), once: the
 * function must answer well inside that.
 */
const HOOK_TIMEOUT = Duration.millis(SYNC_HOOK_TIMEOUT_MS);

export interface SyncHooksProps {
  /** The HTTP API the webhook route is on: the hook routes are added to it. */
  readonly api: HttpApi;
  /**
   * The hooks file the function runs, relative to the repository root (or absolute): it exports
   * `hooks` and `handler = syncHooksHandler(hooks)`, as lambda/handlers/sync-hooks.ts does.
   * @default 'lambda/handlers/sync-hooks.ts' - `DEFAULT_SYNC_HOOKS_ENTRY`, the examples
   */
  readonly entry?: string;
  /** The secret holding the Stream API secret(s): the function gets its ARN and read access. */
  readonly secret: ISecret;
  /**
   * The claims table the consumers share: a pending-message callback's code runs once per signed
   * body, claimed under the hooks' own key prefix (the only keys the function may touch).
   */
  readonly idempotencyTable: ITable;
  /** How long a callback's claim keeps a replay from running it again. @default Duration.hours(24) */
  readonly dedupeWindow?: Duration;
  /**
   * How long user code may run before the function answers on its own (pass-through for Before
   * Message Send, an error message for Custom Commands): env `HOOK_BUDGET_MS`. From 1 to 5000 ms
   * and below the function's 3 s timeout.
   * @default 1000 - `DEFAULT_SYNC_HOOK_BUDGET_MS`
   */
  readonly budgetMs?: number;
  /**
   * Provisioned concurrent executions. Above 0, an alias `live` with this many warm instances is
   * published and the routes invoke the alias (no cold start on the hook path, at a steady cost).
   * @default 0 - none: the routes invoke the function's $LATEST
   */
  readonly provisionedConcurrency?: number;
  /**
   * Concurrent executions reserved for the hook function (at least `provisionedConcurrency`),
   * so busy consumers cannot take them. @default - none: it shares the account's pool
   */
  readonly reservedConcurrency?: number;
  /** Active X-Ray tracing of the hook function. @default false */
  readonly tracing?: boolean;
  /**
   * The largest request body accepted, in bytes (413 above); at most what API Gateway can hand
   * a function. @default 4_669_440 - `DEFAULT_MAX_BODY_BYTES`, everything that can arrive
   */
  readonly maxBodyBytes?: number;
  /**
   * The largest a gzip body may inflate to, in bytes (413 above).
   * @default DEFAULT_MAX_INFLATED_BYTES (16 MiB)
   */
  readonly maxInflatedBytes?: number;
  /** The function's memory in MB. @default 256 */
  readonly memorySize?: number;
  /**
   * Only these source addresses (IPv4/IPv6 CIDRs) may call: anyone else gets 403 before any user
   * code runs (env `ALLOWED_SOURCE_CIDRS`). @default - none: any source (the signature decides)
   */
  readonly sourceIpAllowlist?: readonly string[];
}

/**
 * Stream's synchronous Chat hooks on the webhook's HTTP API (the routes of contract/routes.ts), all
 * served by one function that verifies each request as the webhook path does and answers inline
 * (nothing is queued).
 */
export class SyncHooks extends Construct {
  /** The function that answers every hook. */
  public readonly handler: StreamEventsFunction;
  /** The `live` alias with provisioned concurrency (only when `provisionedConcurrency` > 0). */
  public readonly alias?: Alias;
  /** What the routes invoke: the alias when there is one, else the function. */
  public readonly target: IFunction;
  /** The routes, in the order of `SYNC_HOOK_PATHS` (two for pending messages). */
  public readonly routes: readonly HttpRoute[];
  /** The URL for the app setting `before_message_send_hook_url`. */
  public readonly beforeMessageSendUrl: string;
  /** The URL for the app setting `custom_action_handler_url` (without `?type={type}`). */
  public readonly customCommandsUrl: string;
  /** The `webhook_url` of a `pending_message` hook; Stream appends `/PassOnPendingMessage` etc. */
  public readonly pendingMessagesUrl: string;

  constructor(scope: Construct, id: string, props: SyncHooksProps) {
    super(scope, id);
    const budgetMs = props.budgetMs ?? DEFAULT_SYNC_HOOK_BUDGET_MS;
    const provisioned = props.provisionedConcurrency ?? 0;
    const maxBodyBytes = props.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const maxInflatedBytes = props.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    const dedupeSeconds = (
      props.dedupeWindow ?? Duration.seconds(DEFAULT_DEDUPE_TTL_SECONDS)
    ).toSeconds();
    assertArrivingBodyCap(id, maxBodyBytes);
    if (!Number.isInteger(budgetMs) || budgetMs < 1 || budgetMs > 5000) {
      throw new Error(`${id}: budgetMs must be a whole number from 1 to 5000, got ${budgetMs}`);
    }
    if (budgetMs >= HOOK_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `${id}: budgetMs (${budgetMs}) must be below the hook function's timeout ` +
          `(${HOOK_TIMEOUT.toMilliseconds()} ms), so the function can still answer`,
      );
    }
    if (!Number.isSafeInteger(provisioned) || provisioned < 0) {
      throw new Error(
        `${id}: provisionedConcurrency must be a whole number, 0 or more, got ${provisioned}`,
      );
    }
    assertReservedConcurrency(id, props.reservedConcurrency);
    const entry = props.entry ?? DEFAULT_SYNC_HOOKS_ENTRY;
    const entryProblem = entryFileProblem(entry);
    if (entryProblem !== null) throw new Error(`${id}: ${entryProblem}`);
    if (props.reservedConcurrency !== undefined && props.reservedConcurrency < provisioned) {
      throw new Error(
        `${id}: reservedConcurrency (${props.reservedConcurrency}) must be at least ` +
          `provisionedConcurrency (${provisioned}): Lambda keeps warm instances within it`,
      );
    }

    this.handler = new StreamEventsFunction(this, 'Handler', {
      entry,
      description: "Answers Stream's synchronous hooks (before message send, commands, pending)",
      memorySize: props.memorySize,
      reservedConcurrency: props.reservedConcurrency,
      tracing: props.tracing,
      timeout: HOOK_TIMEOUT,
      environment: syncHooksEnv({
        budgetMs,
        maxBodyBytes,
        maxInflatedBytes,
        // The ARN names the secret; the function reads the value at cold start.
        secretId: props.secret.secretArn,
        idempotencyTable: props.idempotencyTable.tableName,
        dedupeTtlSeconds: dedupeSeconds,
        allowedSourceCidrs:
          props.sourceIpAllowlist === undefined
            ? null
            : checkedSourceCidrs(id, props.sourceIpAllowlist),
      }),
    });
    grantSecretValue(props.secret, this.handler);
    // The claim operations, on the hooks' own keys of the table named in the environment only.
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: [...IDEMPOTENCY_ACTIONS],
        resources: [props.idempotencyTable.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SYNC_HOOK_CLAIMS_PREFIX}#*`] },
        },
      }),
    );

    if (provisioned > 0) {
      this.alias = this.handler.addAlias('live', {
        provisionedConcurrentExecutions: provisioned,
      });
    }
    this.target = this.alias ?? this.handler;

    const integration = new HttpLambdaIntegration('Hooks', this.target, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    const paths = [
      SYNC_HOOK_PATHS.beforeMessageSend,
      SYNC_HOOK_PATHS.customCommands,
      ...PENDING_MESSAGE_CALLBACKS.map((name) => `${SYNC_HOOK_PATHS.pendingMessages}/${name}`),
    ];
    this.routes = paths.map((path) => {
      const [route] = props.api.addRoutes({ path, methods: [HttpMethod.POST], integration });
      if (route === undefined) throw new Error(`${id}: the HTTP API did not create POST ${path}`);
      acknowledgeNagFindings(route, {
        id: 'AwsSolutions-APIG4',
        reason:
          'Stream cannot present IAM, Cognito or JWT credentials: it signs each hook request with ' +
          'HMAC-SHA256 of the API secret (X-Signature), which the hook function checks before ' +
          'running any user code',
      });
      return route;
    });

    const endpoint = props.api.apiEndpoint;
    this.beforeMessageSendUrl = `${endpoint}${SYNC_HOOK_PATHS.beforeMessageSend}`;
    this.customCommandsUrl = `${endpoint}${SYNC_HOOK_PATHS.customCommands}`;
    this.pendingMessagesUrl = `${endpoint}${SYNC_HOOK_PATHS.pendingMessages}`;
  }
}
