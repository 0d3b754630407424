/**
 * Every command's name and one-line summary, in the order `--help` lists them: wiring the Stream
 * app, operating the queues, then the local tools. Data only, so `stream-events --help` prints the
 * list without loading any command (and with it the AWS SDK); each command module takes its own
 * name and summary from here.
 */
export const COMMAND_LIST = [
  {
    name: 'configure',
    summary: "point the Stream app's event_hooks at this stack (keeps every other hook)",
  },
  {
    name: 'hooks',
    summary: "list the Stream app's event_hooks, marking those that point at this stack",
  },
  {
    name: 'check',
    summary: "ask Stream to test writing to the stack's SQS queue(s) or SNS topic",
  },
  {
    name: 'status',
    summary: 'queue, in-flight and dead-letter counts per consumer group, and the oldest age',
  },
  {
    name: 'redrive',
    summary: "move dead-lettered messages back to their group's queue, showing progress",
  },
  { name: 'events', summary: 'the event catalog and which consumer group(s) receive each type' },
  {
    name: 'send',
    summary: 'sign and POST an event as Stream does, or write it into a dev queue (--sqs)',
  },
] as const;

export type CommandName = (typeof COMMAND_LIST)[number]['name'];

/** A command's name and summary, for its `defineCommand`. */
export function commandInfo(name: CommandName): {
  readonly name: string;
  readonly summary: string;
} {
  const info = COMMAND_LIST.find((command) => command.name === name);
  if (info === undefined) throw new Error(`no command "${name}" in the command list`);
  return info;
}
