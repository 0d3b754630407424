import { isAbsolute, join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { nodeEnv } from '../contract/env/common.js';
import { LAMBDA_BUNDLE } from './bundling.js';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../contract/defaults.js';
import { REPO_ROOT } from '../contract/entry-file.js';
import { LAMBDA_BASIC_EXECUTION_ROLE, acknowledgeNagFindings } from './nag-suppressions.js';

export interface StreamEventsFunctionProps {
  /** The handler's entry file, relative to the repository root (e.g. `lambda/verifier/index.ts`). */
  readonly entry: string;
  /** A description of the function. @default - no description */
  readonly description?: string;
  /** Memory in MB. @default 256 */
  readonly memorySize?: number;
  /** The function timeout. @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Environment variables; never put secret values here. @default - only NODE_OPTIONS */
  readonly environment?: Readonly<Record<string, string>>;
  /** How long the function's log group keeps its logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Concurrent executions kept for this function alone, out of the account's pool (which then
   * has that many fewer for every other function). @default - none: the function shares the pool
   */
  readonly reservedConcurrency?: number;
  /**
   * Active X-Ray tracing: Lambda samples invocations and records their segments; the role gains
   * `xray:PutTraceSegments` and `xray:PutTelemetryRecords` on `*` (X-Ray takes no resource).
   * @default false
   */
  readonly tracing?: boolean;
}

/**
 * A Node.js Lambda function with this project's defaults: nodejs22.x on arm64, an ESM bundle
 * (minified, with source maps, AWS SDK v3 bundled so its version is pinned and tree-shaken) and an
 * explicit log group with a retention (created beside the function, exposed as `logGroup`).
 */
export class StreamEventsFunction extends NodejsFunction {
  // The log group created here is exposed by the inherited `logGroup` getter.
  constructor(scope: Construct, id: string, props: StreamEventsFunctionProps) {
    const memorySize = props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB;
    const timeout = props.timeout ?? Duration.seconds(10);
    validate(id, props.entry, memorySize, timeout);

    // The log group is created in the caller's scope, before `super()`, because a subclass
    // cannot use `this` as a scope until the parent constructor has run.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    super(scope, id, {
      entry: isAbsolute(props.entry) ? props.entry : join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: props.tracing === true ? Tracing.ACTIVE : undefined,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: { ...nodeEnv(), ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        ...LAMBDA_BUNDLE,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        // Bundle everything, the AWS SDK v3 included: its version is then the one in our lock
        // file, not whatever the runtime ships, and esbuild tree-shakes it. The only externals
        // are the lazy packages, which the bundling's afterBundling hook builds into the asset.
        externalModules: [...LAMBDA_BUNDLE.externalModules],
      },
    });
    acknowledgeNagFindings(
      this,
      {
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is pinned on purpose: the bundles target node22 and the project is tested ' +
          'on it; moving to a newer runtime is a deliberate, tested upgrade',
      },
      {
        id: LAMBDA_BASIC_EXECUTION_ROLE,
        reason:
          "CDK's standard Lambda execution role: AWSLambdaBasicExecutionRole only allows writing " +
          "the function's own CloudWatch logs; every other permission is a scoped inline grant",
      },
    );
    if (props.tracing === true) {
      acknowledgeNagFindings(this, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "Active tracing's grant, as CDK writes it: xray:PutTraceSegments and " +
          'xray:PutTelemetryRecords support no resource-level permissions, so * is their only form',
      });
    }
  }
}

/**
 * A reservation must be a whole number of executions, and at least 1: 0 would throttle every
 * invocation. Lambda itself refuses one that leaves the account fewer than 100 unreserved.
 */
export function assertReservedConcurrency(id: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new Error(`${id}: reservedConcurrency must be a whole number, 1 or more, got ${value}`);
  }
}

function validate(id: string, entry: string, memorySize: number, timeout: Duration): void {
  if (entry.trim() === '') {
    throw new Error(`${id}: entry must name a handler file, relative to the repository root`);
  }
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new Error(`${id}: memorySize must be an integer from 128 to 10240 MB, got ${memorySize}`);
  }
  const seconds = timeout.toSeconds();
  if (seconds < 1 || seconds > 900) {
    throw new Error(`${id}: timeout must be from 1 to 900 seconds, got ${seconds}`);
  }
}
