/**
 * The `stream-events` commands and the dispatcher in front of them. bin/stream-events.ts gives
 * `runCli` the process's arguments and streams; tests give it a fake `CommandIO`.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { COMMAND_LIST, type CommandName } from './command-list.js';
import { EXIT_FAILURE, EXIT_USAGE, type Command, type CommandIO } from './command.js';

/** A command as the dispatcher knows it before it runs: its module is imported only to run it. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

// Each command's module and what it imports (the AWS SDK clients) load only when that command runs.
const LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  configure: async () => (await import('./configure.js')).configureCommand,
  hooks: async () => (await import('./event-hooks.js')).eventHooksCommand,
  check: async () => (await import('./check.js')).checkCommand,
  status: async () => (await import('./status.js')).statusCommand,
  redrive: async () => (await import('./redrive.js')).redriveCommand,
  events: async () => (await import('./events.js')).eventsCommand,
  send: async () => (await import('./send.js')).sendCommand,
};

/** Every command, in the order `--help` lists them (cli/command-list.ts). */
export const COMMANDS: readonly CommandEntry[] = COMMAND_LIST.map((info) => ({
  ...info,
  load: LOADERS[info.name],
}));

/** A loaded command as an entry (for tests and embedders that build their own list). */
export function entryOf(command: Command): CommandEntry {
  return { name: command.name, summary: command.summary, load: async () => command };
}

/** This package's version, from its package.json. */
export function cliVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

export function cliHelp(
  commands: readonly Pick<CommandEntry, 'name' | 'summary'>[] = COMMANDS,
): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: stream-events <command> [options]',
    '',
    'Wire a Stream app to the deployed stream-events stack and operate it.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run `stream-events <command> --help` for a command's options. Most commands take --json.",
    '`stream-events --version` prints the version.',
    'Exit codes: 0 success, 1 failure, 2 wrong usage.',
    '',
  ].join('\n');
}

/**
 * Runs `argv` (`<command> [args]`): `--help`, `-h` and `help` list the commands, `help <command>`
 * is that command's `--help`, `--version` prints the version, an unknown command exits 2 with the
 * list.
 */
export async function runCli(
  argv: readonly string[],
  io: CommandIO,
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<number> {
  const [name, ...args] = argv;
  const find = (wanted: string | undefined) => commands.find((command) => command.name === wanted);
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    if (args.length === 0) {
      io.stdout.write(cliHelp(commands));
      return 0;
    }
    const entry = find(args[0]);
    if (entry !== undefined) return (await entry.load()).run(['--help'], io);
  }
  const entry = find(name);
  if (entry === undefined) {
    const unknown = name === 'help' ? args[0] : name;
    io.stderr.write(
      `${unknown === undefined ? 'stream-events: no command given' : `stream-events: unknown command "${unknown}"`}\n\n${cliHelp(commands)}`,
    );
    return EXIT_USAGE;
  }
  try {
    return await (await entry.load()).run(args, io);
  } catch (error) {
    // Commands turn their own errors into exit codes; this is the last resort for a bug.
    io.stderr.write(`stream-events ${entry.name}: unexpected error: ${String(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** What `processCommandIO` needs of `process`: passed in, so only bin/ touches the real one. */
export interface ProcessLike {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The `CommandIO` of a real process. `confirm` asks on the terminal through node:readline and
 * takes only y / yes; Ctrl-C, Ctrl-D or anything else is a no.
 */
export function processCommandIO(proc: ProcessLike): CommandIO {
  return {
    stdout: proc.stdout,
    stderr: proc.stderr,
    env: proc.env,
    interactive: proc.stdin.isTTY === true && proc.stdout.isTTY === true,
    async confirm(question: string): Promise<boolean> {
      const rl = createInterface({ input: proc.stdin, output: proc.stdout });
      const abandoned = new Promise<boolean>((resolve) => {
        rl.once('SIGINT', () => {
          proc.stdout.write('\n');
          resolve(false);
        });
        rl.once('close', () => resolve(false));
      });
      try {
        const answer = rl
          .question(`${question} [y/N] `)
          .then((text) => /^\s*y(es)?\s*$/i.test(text))
          .catch(() => false);
        return await Promise.race([answer, abandoned]);
      } finally {
        rl.close();
      }
    },
  };
}
