/**
 * `stream-events hooks`: the Stream app's `event_hooks` as a table, with `*` beside those that
 * point at this stack (same hook type and target as one of its outputs).
 */
import { EXIT_OK, defineCommand, parseOptions, type Command, type CommandIO } from './command.js';
import { eventHookTarget } from './event-hook-plan.js';
import { stackTargets } from './stack-outputs.js';
import { DEFAULT_STACK_NAME } from '../contract/names.js';
import { ignoredEventHooksWarning, usesEventHooks } from './legacy-delivery-settings.js';
import { appSettingsOf, eventHooksOf } from './stream-api.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  connect,
  writeLosslessJson,
  type StreamCommandDeps,
} from './stream-api-context.js';
import { isJsonObject, type Json } from './stream-api-json.js';
import { commandInfo } from './command-list.js';

const HELP = `Usage: stream-events hooks [options]

Lists the Stream app's event_hooks: type, target (URL, queue URL or topic ARN), events (how
many types, or "all" for an empty event_types list: every event, present and future), enabled,
id. A * marks the hooks that point at this stack. Without --stack or --outputs-file it tries the
stack \`cdk deploy\` names (cdk.json's context "stackName", else ${DEFAULT_STACK_NAME}) and, when
that cannot be read, lists the hooks with none marked (a warning on stderr says why). For an
app not yet on multiple event hooks (use_hook_v2 false), which ignores event_hooks, a warning on
stderr names the legacy settings Stream delivers to instead.

${COMMON_HELP}

--json prints {"stack": {"name", "origin"} | null, "hooks": [{"ours", "type", "target", "events",
"enabled", "id"}]}.`;

export interface EventHookRow {
  readonly ours: boolean;
  readonly type: string;
  readonly target: string | null;
  /** How many event types, or `all` for `[]` (or none given). */
  readonly events: number | 'all';
  readonly enabled: boolean | null;
  readonly id: string | null;
}

/** One row per hook; `targets` are this stack's (empty when its outputs are unknown). */
export function eventHookRows(
  hooks: readonly Json[],
  targets: readonly { type: string; target: string }[],
): EventHookRow[] {
  return hooks.map((hook) => {
    const { type, target } = eventHookTarget(hook);
    const fields = isJsonObject(hook) ? hook : {};
    const types = fields.event_types;
    return {
      ours: targets.some((item) => item.type === type && item.target === target),
      type,
      target,
      events: Array.isArray(types) && types.length > 0 ? types.length : 'all',
      enabled: typeof fields.enabled === 'boolean' ? fields.enabled : null,
      id: typeof fields.id === 'string' ? fields.id : null,
    };
  });
}

/** The rows as an aligned text table. */
export function formatEventHookTable(rows: readonly EventHookRow[]): string[] {
  const header = ['', 'TYPE', 'TARGET', 'EVENTS', 'ENABLED', 'ID'];
  const table = [
    header,
    ...rows.map((row) => [
      row.ours ? '*' : '',
      row.type,
      row.target ?? '-',
      String(row.events),
      row.enabled === null ? '-' : row.enabled ? 'yes' : 'no',
      row.id ?? '-',
    ]),
  ];
  const widths = header.map((_, column) =>
    Math.max(...table.map((cells) => (cells[column] ?? '').length)),
  );
  return table.map((cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' ')
      .trimEnd(),
  );
}

export function createEventHooksCommand(deps: StreamCommandDeps = {}): Command {
  return defineCommand({
    ...commandInfo('hooks'),
    help: HELP,
    run: (argv, io) => listHooks(argv, io, deps),
  });
}

async function listHooks(
  argv: readonly string[],
  io: CommandIO,
  deps: StreamCommandDeps,
): Promise<number> {
  const values = parseOptions(argv, COMMON_OPTIONS);
  const { stack, api } = await connect(values, io, deps, 'optional');
  const answer = await api.getApp();
  const app = appSettingsOf(answer);
  if (!usesEventHooks(app)) io.stderr.write(`warning: ${ignoredEventHooksWarning(app)}\n`);
  const hooks = eventHooksOf(answer);
  const rows = eventHookRows(hooks, stack === undefined ? [] : stackTargets(stack));

  if (values.json) {
    writeLosslessJson(io, {
      stack: stack === undefined ? null : { name: stack.stackName, origin: stack.origin },
      hooks: rows.map((row) => ({ ...row })),
    });
    return EXIT_OK;
  }
  if (rows.length === 0) {
    io.stdout.write('The app has no event_hooks.\n');
    return EXIT_OK;
  }
  io.stdout.write(`${formatEventHookTable(rows).join('\n')}\n`);
  const ours = rows.filter((row) => row.ours).length;
  io.stdout.write(
    stack === undefined
      ? '\nStack outputs unknown: no hook marked.\n'
      : `\n* points at stack ${stack.stackName} (${stack.origin}): ${ours} of ${rows.length}.\n`,
  );
  return EXIT_OK;
}

export const eventHooksCommand: Command = createEventHooksCommand();
