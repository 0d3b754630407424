/**
 * The deployed stack's outputs, from CloudFormation (DescribeStacks by stack name) or from the
 * file `cdk deploy --outputs-file out.json` writes (`{"<StackName>": {"<OutputKey>": "<value>"}}`),
 * and the Stream hooks they spell out (`EventHooks*`, reassembled from their `PartN` outputs).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DEFAULT_STACK_NAME, groupNameOfOutputPrefix, groupNames } from '../contract/names.js';
import {
  groupOutputKey,
  eventHookOutputPartKey,
  outputPrefixOf,
  parseEventHookOutputKey,
  prefixedOutputKey,
  STACK_OUTPUT,
  type EventHookOutputKey,
} from '../contract/stack-outputs.js';
import { CommandError, UsageError } from './command.js';
import { eventHookTarget, type EventHookPath, type RawEventHook } from './event-hook-plan.js';
import { isJsonObject, parseJson, type Json } from './stream-api-json.js';

/** The project's cdk.json, whose `context.stackName` names the stack `cdk deploy` creates. */
export const CDK_JSON_PATH = fileURLToPath(new URL('../cdk.json', import.meta.url));

/** `stackName` left out: cdk.json's context `stackName`, else `StreamEvents`. */
export type OutputsSource =
  | { readonly kind: 'stack'; readonly stackName?: string; readonly region?: string }
  | { readonly kind: 'file'; readonly path: string; readonly stackName?: string };

export interface StackOutputs {
  readonly stackName: string;
  /** Where they were read, for messages: `CloudFormation eu-west-1` or `out.json`. */
  readonly origin: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface DescribedStack {
  readonly outputs: Readonly<Record<string, string>>;
  readonly status: string;
  readonly region: string;
}

/** Reads one stack by name; throws CommandError when it cannot. */
export type DescribeStack = (stackName: string, region?: string) => Promise<DescribedStack>;

export interface StackOutputsDeps {
  readonly describeStack?: DescribeStack;
  readonly readFile?: (path: string) => Promise<string>;
  /** @default CDK_JSON_PATH */
  readonly cdkJsonPath?: string;
}

/** `--stack`, `--region`, `--outputs-file` for `node:util` parseArgs. */
export const STACK_OPTIONS = {
  stack: { type: 'string' },
  region: { type: 'string' },
  'outputs-file': { type: 'string' },
} as const;

export const STACK_OPTIONS_HELP = `Stack outputs:
  --stack <name>         the deployed stack (default: cdk.json's context "stackName", else
                         ${DEFAULT_STACK_NAME}), read with CloudFormation DescribeStacks; AWS
                         credentials and region as the AWS CLI finds them
  --region <region>      the stack's region (default: AWS_REGION / the AWS profile's region)
  --outputs-file <file>  read the outputs from the file \`npx cdk deploy --outputs-file <file>\`
                         wrote instead of AWS (--stack picks a stack when it holds several)`;

/** The outputs source the options name; `explicit` is false when neither was given. */
export function outputsSourceFrom(values: {
  readonly stack?: string;
  readonly region?: string;
  readonly 'outputs-file'?: string;
}): { source: OutputsSource; explicit: boolean } {
  const file = values['outputs-file'];
  if (file !== undefined) {
    if (file === '') throw new UsageError('--outputs-file needs a file name');
    if (values.region !== undefined) {
      throw new UsageError('--region applies to CloudFormation, not to --outputs-file');
    }
    return { source: { kind: 'file', path: file, stackName: values.stack }, explicit: true };
  }
  if (values.stack === '') throw new UsageError('--stack needs a stack name');
  if (values.region === '') throw new UsageError('--region needs a region');
  return {
    source: { kind: 'stack', stackName: values.stack, region: values.region },
    explicit: values.stack !== undefined || values.region !== undefined,
  };
}

function errorName(error: unknown): string {
  return (error as { name?: unknown }).name === undefined
    ? ''
    : String((error as { name: unknown }).name);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** DescribeStacks with the SDK's own credential and region resolution. */
export const describeStackWithSdk: DescribeStack = async (stackName, region) => {
  const client = new CloudFormationClient(region === undefined ? {} : { region });
  try {
    const regionName = await client.config.region().catch(() => {
      throw new CommandError(
        'no AWS region: set AWS_REGION, configure a profile region, or pass --region ' +
          '(or read the outputs from a file with --outputs-file)',
      );
    });
    let answer;
    try {
      answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    } catch (error) {
      if (errorName(error) === 'ValidationError' && /does not exist/i.test(errorMessage(error))) {
        throw new CommandError(
          `stack "${stackName}" not found in ${regionName}: deploy it with \`npx cdk deploy\`, or ` +
            'name it with --stack and --region (or use --outputs-file)',
        );
      }
      if (/credential/i.test(errorName(error)) || /credential/i.test(errorMessage(error))) {
        throw new CommandError(
          `no AWS credentials to read stack "${stackName}" (${errorMessage(error)}); configure ` +
            'them as for the AWS CLI, or read the outputs from a file with --outputs-file',
          { cause: error },
        );
      }
      throw new CommandError(
        `could not read stack "${stackName}" in ${regionName}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    const stack = answer.Stacks?.[0];
    if (stack === undefined) {
      throw new CommandError(`stack "${stackName}" not found in ${regionName}`);
    }
    const outputs: Record<string, string> = {};
    for (const output of stack.Outputs ?? []) {
      if (output.OutputKey !== undefined && output.OutputValue !== undefined) {
        outputs[output.OutputKey] = output.OutputValue;
      }
    }
    return { outputs, status: stack.StackStatus ?? 'UNKNOWN', region: regionName };
  } finally {
    client.destroy();
  }
};

/**
 * The stack name `npx cdk deploy` uses: cdk.json's `context.stackName`, else `StreamEvents`. A
 * name given with `-c stackName=...` on the cdk command line cannot be known: pass --stack.
 */
export async function defaultStackName(deps: StackOutputsDeps = {}): Promise<string> {
  const path = deps.cdkJsonPath ?? CDK_JSON_PATH;
  let text: string;
  try {
    text = await (deps.readFile ?? ((file: string) => readFile(file, 'utf8')))(path);
  } catch {
    return DEFAULT_STACK_NAME;
  }
  let name: unknown;
  try {
    name = (JSON.parse(text) as { context?: { stackName?: unknown } } | null)?.context?.stackName;
  } catch {
    throw new CommandError(`${path} is not JSON: cannot tell the stack's name (pass --stack)`);
  }
  return typeof name === 'string' && name !== '' ? name : DEFAULT_STACK_NAME;
}

async function fromFile(
  text: string,
  path: string,
  stackName: string | undefined,
  deps: StackOutputsDeps,
): Promise<StackOutputs> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CommandError(`${path} is not JSON (${errorMessage(error)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CommandError(
      `${path} is not an outputs file: expected {"<StackName>": {"<OutputKey>": "<value>"}}`,
    );
  }
  const stacks = parsed as Record<string, unknown>;
  const names = Object.keys(stacks);
  if (names.length === 0) throw new CommandError(`${path} holds no stack`);
  let name = stackName;
  if (name === undefined) {
    // One stack: that one. Several: the one `cdk deploy` would name, else ask.
    const only = names.length === 1 ? names[0] : undefined;
    const fallback = await defaultStackName(deps);
    name = only ?? (names.includes(fallback) ? fallback : undefined);
    if (name === undefined) {
      throw new CommandError(
        `${path} holds several stacks (${names.join(', ')}): pick one with --stack`,
      );
    }
  }
  const values = stacks[name];
  if (values === undefined) {
    throw new CommandError(`${path} has no stack "${name}" (it holds: ${names.join(', ')})`);
  }
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new CommandError(`${path}: stack "${name}" is not an object of outputs`);
  }
  const outputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string') outputs[key] = value;
  }
  return { stackName: name, origin: path, outputs };
}

/** The stack's outputs, from CloudFormation or from an outputs file. */
export async function loadStackOutputs(
  source: OutputsSource,
  deps: StackOutputsDeps = {},
): Promise<StackOutputs> {
  if (source.kind === 'file') {
    let text: string;
    try {
      text = await (deps.readFile ?? ((path: string) => readFile(path, 'utf8')))(source.path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new CommandError(
        `cannot read the outputs file ${source.path}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`,
      );
    }
    return fromFile(text, source.path, source.stackName, deps);
  }
  const stackName = source.stackName ?? (await defaultStackName(deps));
  const described = await (deps.describeStack ?? describeStackWithSdk)(stackName, source.region);
  return {
    stackName,
    origin: `CloudFormation ${described.region}, ${described.status}`,
    outputs: described.outputs,
  };
}

/** An output's value, or a CommandError naming it and the stack. */
export function requireOutput(stack: StackOutputs, key: string, hint = ''): string {
  const value = stack.outputs[key];
  if (value === undefined || value === '') {
    throw new CommandError(
      `stack "${stack.stackName}" (${stack.origin}) has no output ${key}${hint ? `: ${hint}` : ''}`,
    );
  }
  return value;
}

/** The hooks the stack asks for, per path; SQS per consumer group (by output prefix). */
export interface StackEventHooks {
  readonly webhook?: RawEventHook;
  readonly sns?: RawEventHook;
  readonly sqs: ReadonlyMap<string, { readonly group: string; readonly hook: RawEventHook }>;
}

function hookEntries(stack: StackOutputs, key: string): RawEventHook[] {
  let parsed: Json;
  try {
    parsed = parseJson(stack.outputs[key] ?? '');
  } catch (error) {
    throw new CommandError(`output ${key} is not JSON (${errorMessage(error)})`);
  }
  if (!Array.isArray(parsed) || !parsed.every((hook: Json) => isJsonObject(hook))) {
    throw new CommandError(`output ${key} is not a JSON array of event_hooks entries`);
  }
  return parsed as RawEventHook[];
}

/**
 * One hook from the entries of an output and its parts. The parts exist only because a
 * CloudFormation output holds 4 KB; they share the target and split `event_types`, so they are
 * joined back into the one hook Stream should have (the union of the types, in part order).
 */
function joinParts(id: string, entries: readonly RawEventHook[]): RawEventHook {
  const [first] = entries;
  if (first === undefined) throw new CommandError(`output ${id} holds no hook`);
  const target = eventHookTarget(first);
  const types: Json[] = [];
  let all = false;
  for (const entry of entries) {
    const other = eventHookTarget(entry);
    if (other.type !== target.type || other.target !== target.target) {
      throw new CommandError(`output ${id} and its parts name different targets`);
    }
    const entryTypes = entry.event_types;
    if (!Array.isArray(entryTypes)) {
      throw new CommandError(`output ${id}: a hook has no event_types list`);
    }
    if (entryTypes.length === 0) all = true;
    for (const type of entryTypes) if (!types.includes(type)) types.push(type);
  }
  return { ...first, event_types: all ? [] : types };
}

/** Reassembles the `EventHooks*` outputs (and their `PartN`s, in order) into one hook per target. */
export function stackEventHooks(stack: StackOutputs): StackEventHooks {
  const families = new Map<string, { parsed: EventHookOutputKey; parts: Map<number, string> }>();
  for (const key of Object.keys(stack.outputs)) {
    const parsed = parseEventHookOutputKey(key);
    if (parsed === null) continue;
    const family = families.get(parsed.key) ?? { parsed, parts: new Map<number, string>() };
    family.parts.set(parsed.part, key);
    families.set(parsed.key, family);
  }
  let webhook: RawEventHook | undefined;
  let sns: RawEventHook | undefined;
  const sqs = new Map<string, { group: string; hook: RawEventHook }>();
  for (const [base, { parsed, parts }] of families) {
    const entries: RawEventHook[] = [];
    for (let part = 1; part <= parts.size; part += 1) {
      const key = parts.get(part);
      if (key === undefined) {
        throw new CommandError(
          `output ${eventHookOutputPartKey(base, part)} is missing while other parts of ` +
            `${base} exist: the stack's outputs are incomplete`,
        );
      }
      entries.push(...hookEntries(stack, key));
    }
    const hook = joinParts(base, entries);
    if (parsed.path === 'webhook') webhook = hook;
    else if (parsed.path === 'sns') sns = hook;
    else sqs.set(parsed.groupPrefix, { group: groupNameOfOutputPrefix(parsed.groupPrefix), hook });
  }
  return { webhook, sns, sqs };
}

/** What the path asks for; `group` selects one group's SQS hook. */
export function desiredEventHooks(
  stack: StackOutputs,
  hooks: StackEventHooks,
  path: EventHookPath,
  group?: string,
): RawEventHook[] {
  const where = `stack "${stack.stackName}" (${stack.origin})`;
  if (path !== 'sqs') {
    if (group !== undefined) {
      throw new UsageError(
        `--group applies to --path sqs only: the ${path} hook carries every group's event types`,
      );
    }
    const hook = hooks[path];
    if (hook === undefined) {
      const output =
        path === 'webhook' ? STACK_OUTPUT.eventHooksWebhook : STACK_OUTPUT.eventHooksSns;
      throw new CommandError(
        `${where} has no output ${output}: the ${path} path is not deployed (stack prop ` +
          `paths.${path}, context "paths") or the stack predates it`,
      );
    }
    return [hook];
  }
  if (hooks.sqs.size === 0) {
    throw new CommandError(
      `${where} has no EventHooksSqs* output: the sqs path is not deployed (paths.sqs: true)`,
    );
  }
  if (group === undefined) return [...hooks.sqs.values()].map((entry) => entry.hook);
  const entry = hooks.sqs.get(groupNames(group).outputPrefix);
  if (entry === undefined) {
    const groups = [...hooks.sqs.values()].map((item) => item.group).join(', ');
    throw new CommandError(`${where} has no consumer group "${group}" (groups: ${groups})`);
  }
  return [entry.hook];
}

/** Every hook target the stack outputs, as `eventHookTarget` keys (`type`, `target`). */
export function stackTargets(stack: StackOutputs): { type: string; target: string }[] {
  const targets: { type: string; target: string }[] = [];
  const add = (type: string, target: string | undefined): void => {
    if (target === undefined || target === '') return;
    if (!targets.some((item) => item.type === type && item.target === target)) {
      targets.push({ type, target });
    }
  };
  const hooks = stackEventHooks(stack);
  for (const hook of [hooks.webhook, hooks.sns, ...[...hooks.sqs.values()].map((e) => e.hook)]) {
    if (hook === undefined) continue;
    const { type, target } = eventHookTarget(hook);
    add(type, target ?? undefined);
  }
  add('webhook', stack.outputs[STACK_OUTPUT.webhookUrl]);
  add('sns', stack.outputs[STACK_OUTPUT.topicArn]);
  for (const { queueUrl } of groupQueues(stack)) add('sqs', queueUrl);
  return targets;
}

/**
 * The consumer groups' queue URLs: `QueueUrl` for `all`, `<Prefix>QueueUrl` for the others. A
 * key counts only beside its `<Prefix>QueueArn` and `<Prefix>DeadLetterQueueUrl`, so a DLQ's
 * own `…DeadLetterQueueUrl` is not mistaken for a group.
 */
export function groupQueues(stack: StackOutputs): { group: string; queueUrl: string }[] {
  const queues: { group: string; queueUrl: string }[] = [];
  for (const [key, value] of Object.entries(stack.outputs)) {
    const prefix = outputPrefixOf(key, 'queueUrl');
    if (prefix === undefined) continue;
    if (
      stack.outputs[prefixedOutputKey(prefix, 'queueArn')] === undefined ||
      stack.outputs[prefixedOutputKey(prefix, 'deadLetterQueueUrl')] === undefined
    ) {
      continue;
    }
    queues.push({ group: groupNameOfOutputPrefix(prefix), queueUrl: value });
  }
  return queues;
}

/** One group's queue URL, or a CommandError listing the groups. */
export function groupQueue(stack: StackOutputs, group: string): string {
  const url = stack.outputs[groupOutputKey(group, 'queueUrl')];
  if (url === undefined || stack.outputs[groupOutputKey(group, 'queueArn')] === undefined) {
    const groups = groupQueues(stack)
      .map((item) => item.group)
      .join(', ');
    throw new CommandError(
      `stack "${stack.stackName}" (${stack.origin}) has no consumer group "${group}" (groups: ${groups || 'none'})`,
    );
  }
  return url;
}
