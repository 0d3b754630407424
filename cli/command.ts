import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * What every `stream-events` command shares: its streams and environment as parameters (so tests
 * run commands in-process), and the exit-code contract: 0 success, 1 failure, 2 bad usage.
 */
export interface CommandIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when a person can answer a prompt (stdin and stdout are TTYs). */
  readonly interactive: boolean;
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
  confirm(question: string): Promise<boolean>;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Wrong arguments: printed with a pointer to `--help`, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can act on (missing credentials, stack not found, Stream's own error): exit 1. */
export class CommandError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommandError';
  }
}

/** `--json` output: one JSON document on stdout, nothing else there. */
export function writeJson(io: CommandIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs a command's body and turns its errors into the exit-code contract. With `--json`, an error
 * is also a JSON document (`{"error": "..."}`) on stdout so scripts need not parse stderr.
 */
export async function runCommand(
  command: Pick<Command, 'name'>,
  io: CommandIO,
  json: boolean,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const usage = error instanceof UsageError;
    const known = usage || error instanceof CommandError;
    const message = known ? (error as Error).message : `unexpected error: ${String(error)}`;
    if (json) writeJson(io, { error: message });
    io.stderr.write(
      `stream-events ${command.name}: ${message}${usage ? `\nSee: stream-events ${command.name} --help` : ''}\n`,
    );
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

/** Strict `parseArgs` (no positionals); its errors become UsageError. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  { allowNegative = false }: { allowNegative?: boolean } = {},
) {
  try {
    return parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
      allowNegative,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The value of a string option that takes one of `choices`; a UsageError naming the option when
 * it is missing (if `required`) or anything else.
 */
export function oneOf<Choice extends string>(
  option: string,
  value: string | undefined,
  choices: readonly Choice[],
): Choice {
  if (value === undefined) {
    const last = choices.length - 1;
    const listed =
      last > 0 ? `${choices.slice(0, last).join(', ')} or ${choices[last]}` : choices[0];
    throw new UsageError(`${option} is required: ${listed}`);
  }
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${option} must be one of ${choices.join(', ')}, got "${value}"`);
  }
  return value as Choice;
}

/**
 * A command whose `--help` (or `-h`) prints its help and exits 0, and whose body runs under
 * runCommand (with `--json` errors when asked).
 */
export function defineCommand(spec: {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}): Command {
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    run: (argv, io) =>
      runCommand(command, io, wantsJson(argv), async () => {
        if (wantsHelp(argv)) {
          io.stdout.write(`${spec.help}\n`);
          return EXIT_OK;
        }
        return spec.run(argv, io);
      }),
  };
  return command;
}
