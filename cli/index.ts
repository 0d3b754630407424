/**
 * The `stream-events` commands and the dispatcher in front of them. bin/stream-events.ts gives
 * `runCli` the process's arguments and streams; tests give it a fake `CommandIO`.
 */
import { createInterface } from 'node:readline/promises';
import { checkCommand } from './check.js';
import { EXIT_FAILURE, EXIT_USAGE, type Command, type CommandIO } from './command.js';
import { configureCommand } from './configure.js';
import { eventsCommand } from './events.js';
import { hooksCommand } from './hooks.js';
import { redriveCommand } from './redrive.js';
import { sendCommand } from './send.js';
import { statusCommand } from './status.js';

/**
 * Every command, in the order `--help` lists them: wiring the Stream app, operating the queues,
 * then the local tools. This array is the only place a command is registered.
 */
export const COMMANDS: readonly Command[] = [
  configureCommand,
  hooksCommand,
  checkCommand,
  statusCommand,
  redriveCommand,
  eventsCommand,
  sendCommand,
];

export function cliHelp(commands: readonly Command[] = COMMANDS): string {
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
    'Exit codes: 0 success, 1 failure, 2 wrong usage.',
    '',
  ].join('\n');
}

/**
 * Runs `argv` (`<command> [args]`): `--help`, `-h` and `help` list the commands, `help <command>`
 * is that command's `--help`, an unknown command exits 2 with the list.
 */
export async function runCli(
  argv: readonly string[],
  io: CommandIO,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [name, ...args] = argv;
  const find = (wanted: string | undefined) => commands.find((command) => command.name === wanted);
  if (name === '--help' || name === '-h' || name === 'help') {
    if (args.length === 0) {
      io.stdout.write(cliHelp(commands));
      return 0;
    }
    const command = find(args[0]);
    if (command !== undefined) return command.run(['--help'], io);
  }
  const command = find(name);
  if (command === undefined) {
    const unknown = name === 'help' ? args[0] : name;
    io.stderr.write(
      `${unknown === undefined ? 'stream-events: no command given' : `stream-events: unknown command "${unknown}"`}\n\n${cliHelp(commands)}`,
    );
    return EXIT_USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // Commands turn their own errors into exit codes; this is the last resort for a bug.
    io.stderr.write(`stream-events ${command.name}: unexpected error: ${String(error)}\n`);
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
