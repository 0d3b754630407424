/**
 * CDK context (cdk.json's `"context"`, or `npx cdk deploy -c key=value`) read into plain
 * settings, CDK-free: bin/app.ts builds the stack from them (through lib/app-context.ts, which
 * makes CDK Durations), `npm run dev` runs the same group table, and the CLI names the same stack.
 * Each setting has its context key's name; the stack prop of the same name takes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsumerGroupSettings } from './consumer-groups.js';
import { REPO_ROOT } from './entry-file.js';
import type { Ordering } from './env/consumer.js';
import { DEFAULT_STACK_NAME } from './names.js';

/** A context value (or cdk.json itself) that cannot be read: its key and what it should be. */
export class ContextError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContextError';
  }
}

/** Reads one context value: `app.node.tryGetContext` in bin/app.ts, a cdk.json key elsewhere. */
export type ContextReader = (key: string) => unknown;

/** Which delivery paths to deploy (`paths`); a key left out keeps the stack's default. */
export interface PathSettings {
  readonly webhook?: boolean;
  readonly sqs?: boolean;
  readonly sns?: boolean;
}

/** Stream's synchronous hooks (`syncHooks`). */
export interface SyncHooksSettings {
  readonly enabled?: boolean;
  /** The hooks file, relative to the repository root (or absolute). */
  readonly entry?: string;
  readonly budgetMs?: number;
  readonly provisionedConcurrency?: number;
  readonly reservedConcurrency?: number;
}

/** The webhook API's stage throttling (`throttle`). */
export interface ThrottleSettings {
  /** Requests per second. */
  readonly rateLimit?: number;
  /** The bucket size: a whole number. */
  readonly burstLimit?: number;
}

/** The alarm thresholds (`alarms`). */
export interface AlarmSettings {
  readonly oldestMessageMinutes?: number;
  readonly badSignatures?: number;
  readonly serverErrors?: number;
}

/** Every setting context can give, each under its context key; unset ones are left out. */
export interface StackSettings {
  readonly secret?: string;
  readonly consumers?: readonly ConsumerGroupSettings[];
  readonly paths?: PathSettings;
  readonly snsFilterPolicies?: boolean;
  readonly ordering?: Ordering;
  readonly syncHooks?: SyncHooksSettings;
  readonly verifierReservedConcurrency?: number;
  readonly tracing?: boolean;
  readonly throttle?: ThrottleSettings;
  readonly alarmEmail?: string;
  readonly alarms?: AlarmSettings;
  /** Seconds. */
  readonly maxEventAge?: number;
  /** `true`: Stream's published webhook egress addresses; a list: these CIDRs. */
  readonly sourceIpAllowlist?: true | readonly string[];
}

/** The stack's name and settings, as context gives them. */
export interface ContextSettings {
  readonly stackName: string;
  readonly settings: StackSettings;
}

const CONSUMER_KEYS = [
  'name',
  'events',
  'entry',
  'batchSize',
  'maxConcurrency',
  'memorySize',
  'maxBatchingWindow',
  'timeout',
] as const;
const PATH_KEYS = ['webhook', 'sqs', 'sns'] as const;
const SYNC_HOOKS_KEYS = [
  'enabled',
  'entry',
  'budgetMs',
  'provisionedConcurrency',
  'reservedConcurrency',
] as const;
const THROTTLE_KEYS = ['rateLimit', 'burstLimit'] as const;
const ALARM_KEYS = ['oldestMessageMinutes', 'badSignatures', 'serverErrors'] as const;

/**
 * The stack's name and settings from CDK context: cdk.json's `"context"` (JSON values) or
 * `npx cdk deploy -c key=value` (strings; objects and arrays as JSON text). Every key is optional:
 *
 * - `stackName`: the stack's name. Default `StreamEvents`.
 * - `secret`: an existing secret's name or complete ARN.
 * - `consumers`: the consumer groups, `[{"name": "messages", "events": ["message.*"],
 *   "entry": "lambda/handlers/messages.ts", "batchSize": 10, "maxConcurrency": 5,
 *   "memorySize": 512, "maxBatchingWindow": 1, "timeout": 30}]`; durations are in seconds.
 * - `paths`: the delivery paths to deploy, e.g. `{"sqs": true}` to add Stream's direct SQS path.
 *   A key left out keeps the stack default: `{"webhook": true, "sqs": false, "sns": false}` (only
 *   the signed webhook; switch on the sqs / sns paths you register in Stream).
 * - `snsFilterPolicies`: `true` when the Stream app publishes plain JSON to SNS (see the stack prop).
 * - `ordering`: `none` or `per-entity`.
 * - `syncHooks`: Stream's synchronous hooks on the webhook API, `{"enabled": true, "entry":
 *   "lambda/handlers/sync-hooks.ts", "budgetMs": 1000, "provisionedConcurrency": 0,
 *   "reservedConcurrency": 10}` (or just `true` / `false`); a key left out keeps the stack
 *   default, on when the webhook path is on (an object without `enabled` turns them on).
 * - `verifierReservedConcurrency`: concurrent executions reserved for the verifier, e.g. `100`.
 * - `tracing`: `true` for active X-Ray tracing of every function.
 * - `throttle`: the webhook API's stage throttling, `{"rateLimit": 1000, "burstLimit": 2000}`
 *   (requests per second, and the bucket size: a whole number); a key left out keeps its default.
 * - `alarmEmail`: an e-mail address the alarm topic mails (SNS asks it to confirm first).
 * - `alarms`: the alarm thresholds, `{"oldestMessageMinutes": 15, "badSignatures": 20,
 *   "serverErrors": 5}` (a queue's oldest message age; rejected signatures and API 5xx answers in
 *   5 minutes); a key left out keeps its default.
 * - `maxEventAge`: refuse webhook events whose `created_at` is older than this many seconds
 *   (whole, at least 1), e.g. `3600`; `false` or unset: off.
 * - `sourceIpAllowlist`: `false` (default: any source), `true` (Stream's published webhook egress
 *   IPs, lib/data/stream-egress-ips.json) or a JSON array of your own CIDRs, e.g.
 *   `["203.0.113.0/24", "2001:db8::/32"]`; other sources get 403 on the webhook and hook routes.
 *
 * Only shapes and types are checked here; the stack checks the values (names, patterns, entry
 * files, limits) with messages that name the offending group.
 */
export function settingsFromContext(get: ContextReader): ContextSettings {
  const settings: StackSettings = {
    secret: optionalString(get('secret'), 'secret'),
    consumers: consumersFrom(get('consumers')),
    paths: pathsFrom(get('paths')),
    snsFilterPolicies: optionalBoolean(get('snsFilterPolicies'), 'snsFilterPolicies'),
    ordering: orderingFrom(get('ordering')),
    syncHooks: syncHooksFrom(get('syncHooks')),
    throttle: throttleFrom(get('throttle')),
    tracing: optionalBoolean(get('tracing'), 'tracing'),
    verifierReservedConcurrency: optionalNumber(
      get('verifierReservedConcurrency'),
      'verifierReservedConcurrency',
    ),
    sourceIpAllowlist: sourceIpAllowlistFrom(get('sourceIpAllowlist')),
    maxEventAge: maxEventAgeFrom(get('maxEventAge')),
    // The stack checks that it is one address (lib/alarms.ts), like every other value.
    alarmEmail: optionalString(get('alarmEmail'), 'alarmEmail')?.trim(),
    alarms: alarmsFrom(get('alarms')),
  };
  return {
    stackName: optionalString(get('stackName'), 'stackName') ?? DEFAULT_STACK_NAME,
    // Leave out what is not set, so the stack's own defaults apply.
    settings: definedOnly(settings),
  };
}

/**
 * cdk.json's `"context"` object, or `{}` when there is no cdk.json or it has no context: what
 * `npx cdk synth` reads besides `-c` (which only the cdk command line sees).
 */
export function cdkJsonContext(repoRoot: string = REPO_ROOT): Record<string, unknown> {
  const path = join(repoRoot, 'cdk.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ContextError(`${path} is not valid JSON`, { cause: error });
  }
  const context = (parsed as { context?: unknown } | null)?.context;
  if (context === undefined) return {};
  if (!isObject(context)) throw new ContextError(`${path}: "context" must be an object`);
  return context;
}

/** The settings cdk.json's context gives: what `npx cdk synth` builds without `-c`. */
export function cdkJsonSettings(repoRoot: string = REPO_ROOT): ContextSettings {
  const context = cdkJsonContext(repoRoot);
  return settingsFromContext((key) => context[key]);
}

/** `value` without its undefined fields. */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function optionalString(value: unknown, name: string): string | undefined {
  if (isUnset(value)) return undefined;
  if (typeof value !== 'string') {
    throw new ContextError(`context "${name}" must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (isUnset(value)) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(`context "${name}" must be true or false, got ${JSON.stringify(value)}`);
}

/** A number as cdk.json gives it, or as `-c` text; the stack checks its range. */
function optionalNumber(value: unknown, name: string): number | undefined {
  if (isUnset(value)) return undefined;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed !== 'number' || Number.isNaN(parsed)) {
    throw new ContextError(`context "${name}" must be a number, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** A context value that is JSON: as given (cdk.json) or as text to parse (`-c`). */
function json(value: unknown, name: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ContextError(`context "${name}" is not valid JSON: ${value}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new ContextError(
      `${where}: unknown key(s) ${unknown.map((key) => `"${key}"`).join(', ')}; ` +
        `allowed: ${allowed.join(', ')}`,
    );
  }
}

function consumersFrom(raw: unknown): ConsumerGroupSettings[] | undefined {
  if (isUnset(raw)) return undefined;
  const value = json(raw, 'consumers');
  if (!Array.isArray(value)) {
    throw new ContextError('context "consumers" must be a JSON array of consumer groups');
  }
  return value.map((entry: unknown, index): ConsumerGroupSettings => {
    const where = `context "consumers"[${index}]`;
    if (!isObject(entry)) throw new ContextError(`${where} must be an object`);
    checkKeys(entry, CONSUMER_KEYS, where);
    const { name, events, entry: file } = entry;
    if (typeof name !== 'string') throw new ContextError(`${where}.name must be a string`);
    if (!Array.isArray(events) || !events.every((event) => typeof event === 'string')) {
      throw new ContextError(`${where}.events must be an array of event patterns (strings)`);
    }
    if (file !== undefined && typeof file !== 'string') {
      throw new ContextError(`${where}.entry must be a string`);
    }
    const number = (key: (typeof CONSUMER_KEYS)[number]): number | undefined => {
      const field = entry[key];
      if (field === undefined) return undefined;
      if (typeof field !== 'number') throw new ContextError(`${where}.${key} must be a number`);
      return field;
    };
    return {
      name,
      events: events as string[],
      entry: file,
      batchSize: number('batchSize'),
      maxConcurrency: number('maxConcurrency'),
      memorySize: number('memorySize'),
      maxBatchingWindow: number('maxBatchingWindow'),
      timeout: number('timeout'),
    };
  });
}

function pathsFrom(raw: unknown): PathSettings | undefined {
  if (isUnset(raw)) return undefined;
  const value = json(raw, 'paths');
  if (!isObject(value)) {
    throw new ContextError(
      'context "paths" must be a JSON object like {"webhook":true,"sqs":false}',
    );
  }
  checkKeys(value, PATH_KEYS, 'context "paths"');
  return {
    webhook: optionalBoolean(value.webhook, 'paths.webhook'),
    sqs: optionalBoolean(value.sqs, 'paths.sqs'),
    sns: optionalBoolean(value.sns, 'paths.sns'),
  };
}

function orderingFrom(raw: unknown): Ordering | undefined {
  if (isUnset(raw)) return undefined;
  if (raw === 'none' || raw === 'per-entity') return raw;
  throw new ContextError(
    `context "ordering" must be "none" or "per-entity", got ${JSON.stringify(raw)}`,
  );
}

function syncHooksFrom(raw: unknown): SyncHooksSettings | undefined {
  if (isUnset(raw)) return undefined;
  if (raw === true || raw === 'true' || raw === false || raw === 'false') {
    return { enabled: optionalBoolean(raw, 'syncHooks') };
  }
  const value = json(raw, 'syncHooks');
  if (!isObject(value)) {
    throw new ContextError(
      'context "syncHooks" must be true, false or a JSON object like ' +
        '{"enabled":true,"budgetMs":1000,"provisionedConcurrency":0,"reservedConcurrency":10}',
    );
  }
  checkKeys(value, SYNC_HOOKS_KEYS, 'context "syncHooks"');
  const number = (
    key: 'budgetMs' | 'provisionedConcurrency' | 'reservedConcurrency',
  ): number | undefined => {
    const field = value[key];
    if (field === undefined) return undefined;
    if (typeof field !== 'number')
      throw new ContextError(`context "syncHooks".${key} must be a number`);
    return field;
  };
  if (value.entry !== undefined && typeof value.entry !== 'string') {
    throw new ContextError('context "syncHooks".entry must be a string');
  }
  return {
    // Settings given imply the hooks are wanted, unless `enabled` says otherwise.
    enabled: optionalBoolean(value.enabled, 'syncHooks.enabled') ?? true,
    entry: value.entry,
    budgetMs: number('budgetMs'),
    provisionedConcurrency: number('provisionedConcurrency'),
    reservedConcurrency: number('reservedConcurrency'),
  };
}

function throttleFrom(raw: unknown): ThrottleSettings | undefined {
  if (isUnset(raw)) return undefined;
  const value = json(raw, 'throttle');
  if (!isObject(value)) {
    throw new ContextError(
      'context "throttle" must be a JSON object like {"rateLimit":1000,"burstLimit":2000}',
    );
  }
  checkKeys(value, THROTTLE_KEYS, 'context "throttle"');
  const { rateLimit, burstLimit } = value;
  if (rateLimit !== undefined && (typeof rateLimit !== 'number' || !(rateLimit > 0))) {
    throw new ContextError(
      `context "throttle".rateLimit must be a positive number (requests per second), got ${JSON.stringify(rateLimit)}`,
    );
  }
  if (
    burstLimit !== undefined &&
    (typeof burstLimit !== 'number' || !Number.isSafeInteger(burstLimit) || burstLimit <= 0)
  ) {
    throw new ContextError(
      `context "throttle".burstLimit must be a positive whole number, got ${JSON.stringify(burstLimit)}`,
    );
  }
  return { rateLimit, burstLimit };
}

/** Whole seconds, as a number (cdk.json) or its text (`-c`); the stack checks it against the window. */
function maxEventAgeFrom(raw: unknown): number | undefined {
  if (isUnset(raw) || raw === false || raw === 'false') return undefined;
  const seconds = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw new ContextError(
      `context "maxEventAge" must be a whole number of seconds, at least 1, got ${JSON.stringify(raw)}`,
    );
  }
  return seconds;
}

/** `true` means Stream's published list; a list is the user's own; the stack checks each CIDR. */
function sourceIpAllowlistFrom(raw: unknown): true | readonly string[] | undefined {
  if (isUnset(raw)) return undefined;
  if (raw === false || raw === 'false') return undefined;
  if (raw === true || raw === 'true') return true;
  const value = json(raw, 'sourceIpAllowlist');
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw new ContextError(
      'context "sourceIpAllowlist" must be true, false or a JSON array of CIDRs like ' +
        '["203.0.113.0/24","2001:db8::/32"]',
    );
  }
  if (value.length === 0) {
    throw new ContextError(
      'context "sourceIpAllowlist" is an empty list, which would refuse every request; ' +
        'set it to false to accept any source',
    );
  }
  return value as string[];
}

function alarmsFrom(raw: unknown): AlarmSettings | undefined {
  if (isUnset(raw)) return undefined;
  const value = json(raw, 'alarms');
  if (!isObject(value)) {
    throw new ContextError(
      'context "alarms" must be a JSON object like ' +
        '{"oldestMessageMinutes":15,"badSignatures":20,"serverErrors":5}',
    );
  }
  checkKeys(value, ALARM_KEYS, 'context "alarms"');
  const count = (key: (typeof ALARM_KEYS)[number]): number | undefined => {
    const field = value[key];
    if (field === undefined) return undefined;
    if (typeof field !== 'number' || !Number.isSafeInteger(field) || field <= 0) {
      throw new ContextError(
        `context "alarms".${key} must be a positive whole number, got ${JSON.stringify(field)}`,
      );
    }
    return field;
  };
  return {
    oldestMessageMinutes: count('oldestMessageMinutes'),
    badSignatures: count('badSignatures'),
    serverErrors: count('serverErrors'),
  };
}
