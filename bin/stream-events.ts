#!/usr/bin/env node
/** The `stream-events` CLI: `tsx bin/stream-events.ts <command> [args]`. Commands live in cli/. */
import { runSend } from '../cli/send.js';

type Command = (argv: readonly string[]) => Promise<number>;

const commands: Readonly<Record<string, Command>> = {
  send: (argv) => runSend(argv),
};

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];

if (command === undefined) {
  process.stderr.write(
    `Usage: stream-events <command> [args]\nCommands: ${Object.keys(commands).join(', ')}\n`,
  );
  process.exitCode = 1;
} else {
  process.exitCode = await command(args);
}
