/**
 * What `configure`, `hooks` and `check` share: their common options, and the steps from those
 * options to the stack's outputs, the Stream credentials and a client for Stream's API.
 */
import { CommandError, UsageError, type CommandIO } from './command.js';
import {
  loadStackOutputs,
  outputsSourceFrom,
  requireOutput,
  STACK_OPTIONS,
  STACK_OPTIONS_HELP,
  type DescribeStack,
  type StackOutputs,
} from './stack-outputs.js';
import { BASE_URL_HELP, BASE_URL_OPTIONS, baseUrlFrom, StreamApi } from './stream-api.js';
import {
  CREDENTIAL_OPTIONS,
  CREDENTIAL_OPTIONS_HELP,
  resolveCredentials,
  type ReadSecret,
} from './stream-api-key-source.js';
import { stringifyJson, type Json } from './stream-api-json.js';

/** What the commands reach outside the process through; tests replace any of it. */
export interface StreamCommandDeps {
  readonly fetch?: typeof fetch;
  readonly describeStack?: DescribeStack;
  readonly readSecret?: ReadSecret;
  readonly readFile?: (path: string) => Promise<string>;
}

export const COMMON_OPTIONS = {
  ...STACK_OPTIONS,
  ...CREDENTIAL_OPTIONS,
  ...BASE_URL_OPTIONS,
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_HELP = `${STACK_OPTIONS_HELP}

${CREDENTIAL_OPTIONS_HELP}

Stream:
${BASE_URL_HELP}

Output:
  --json                 one JSON document on stdout (errors too: {"error": "..."})
  --help                 this text

Exit codes: 0 done, 1 failed (the reason on stderr), 2 bad arguments.`;

export interface CommonValues {
  readonly stack?: string;
  readonly region?: string;
  readonly 'outputs-file'?: string;
  readonly 'from-secret'?: boolean;
  readonly 'api-key'?: string;
  readonly 'base-url'?: string;
  readonly json?: boolean;
}

export interface StreamContext {
  readonly stack?: StackOutputs;
  readonly api: StreamApi;
}

/**
 * Reads the stack's outputs, then the credentials, then builds the client. With
 * `outputs: 'optional'` a stack that cannot be read is a warning on stderr (and `stack` is
 * undefined), unless the user named it (`--stack`, `--region`, `--outputs-file`) or needs it
 * (`--from-secret`).
 */
export async function connect(
  values: CommonValues,
  io: CommandIO,
  deps: StreamCommandDeps,
  outputs: 'required' | 'optional',
): Promise<StreamContext> {
  const { source, explicit } = outputsSourceFrom(values);
  // Checked before any AWS or Stream call, so bad arguments fail fast.
  const baseUrl = baseUrlFrom(values['base-url'], io.env);
  const fromSecret = values['from-secret'] ?? false;
  if (!fromSecret && values['api-key'] !== undefined) {
    throw new UsageError(
      "--api-key picks a key of the stack's secret: use it with --from-secret (or set STREAM_API_KEY)",
    );
  }

  let stack: StackOutputs | undefined;
  try {
    stack = await loadStackOutputs(source, deps);
  } catch (error) {
    if (outputs === 'required' || explicit || fromSecret || !(error instanceof CommandError)) {
      throw error;
    }
    io.stderr.write(`warning: ${error.message}; no hook is marked as this stack's\n`);
  }

  const credentials = await resolveCredentials({
    env: io.env,
    fromSecret,
    apiKey: values['api-key'],
    secretArn: async () => {
      if (stack === undefined) throw new CommandError('--from-secret needs the stack outputs');
      return requireOutput(
        stack,
        'SecretArn',
        'the webhook path creates the secret; without it set STREAM_API_KEY and STREAM_API_SECRET',
      );
    },
    readSecret: deps.readSecret,
  });
  return { stack, api: new StreamApi({ credentials, baseUrl, fetch: deps.fetch }) };
}

/** `--json` output that keeps big numbers exact (writeJson would round them). */
export function writeLosslessJson(io: CommandIO, value: Json): void {
  io.stdout.write(`${stringifyJson(value, 2)}\n`);
}
