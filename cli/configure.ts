/**
 * `stream-events configure --path webhook|sqs|sns|pending-messages`: points the Stream app's
 * `event_hooks` at the deployed stack without touching any other hook. `--path
 * before-message-send|custom-commands` sets one top-level app setting instead (sync-hook-paths.ts). Reads the stack's outputs, reads the app from
 * Stream, plans the new array (hook-plan.ts), prints the diff, and PATCHes only with `--yes` or a
 * confirm on a terminal.
 */
import {
  CommandError,
  EXIT_FAILURE,
  EXIT_OK,
  defineCommand,
  parseOptions,
  UsageError,
  type Command,
  type CommandIO,
  oneOf,
} from './command.js';
import { changeJson, formatPlan } from './hook-diff-format.js';
import { HOOK_PATHS, isHookPath, planEventHooks } from './hook-plan.js';
import { desiredHooks, stackHooks } from './stack-outputs.js';
import { eventHooksOf, type StreamApi } from './stream-api.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  connect,
  writeLosslessJson,
  type StreamCommandDeps,
} from './stream-api-context.js';
import {
  isSettingPath,
  PENDING_MESSAGES_PATH,
  pendingMessageHook,
  planSetting,
  SETTINGS,
  SETTING_PATHS,
  type SettingPath,
} from './sync-hook-paths.js';
import type { StackOutputs } from './stack-outputs.js';

const PATHS = [...HOOK_PATHS, PENDING_MESSAGES_PATH, ...SETTING_PATHS];

const OPTIONS = {
  ...COMMON_OPTIONS,
  path: { type: 'string' },
  group: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
} as const;

const HELP = `Usage: stream-events configure --path webhook|sqs|sns|pending-messages|before-message-send|custom-commands
       [options]

Registers this stack's hook(s) for one delivery path in the Stream app's event_hooks: adds them,
or updates them in place (same id) when their fields or event types changed. Every other hook
stays exactly as Stream returned it (Stream replaces the whole list on update). Shows the
changes first; applies them with --yes, or after you confirm on a terminal. Running it again with
nothing to change changes nothing.

  --path <path>          webhook (EventHooksWebhook), sqs (EventHooksSqs*: every consumer
                         group's queue) or sns (EventHooksSns); pending-messages (a
                         pending_message hook on PendingMessagesUrl, callback mode REST);
                         before-message-send or custom-commands: sets the app setting
                         before_message_send_hook_url (BeforeMessageSendUrl) or
                         custom_action_handler_url (CustomCommandsUrl + ?type={type}) alone,
                         not event_hooks
  --group <group>        with --path sqs: only this consumer group's queue
  --dry-run              show the changes, send nothing
  --yes, -y              apply without asking (needed when not on a terminal)

${COMMON_HELP}

--json prints {"path", "changed", "applied", "changes": [{"action": "add"|"update"|"keep"|"remove",
"hook", "before"?}]}; for before-message-send and custom-commands {"path", "setting", "before",
"after", "changed", "applied"}.`;

export function createConfigureCommand(deps: StreamCommandDeps = {}): Command {
  return defineCommand({
    name: 'configure',
    summary: "point the Stream app's event_hooks at this stack (keeps every other hook)",
    help: HELP,
    run: (argv, io) => configure(argv, io, deps),
  });
}

async function configure(
  argv: readonly string[],
  io: CommandIO,
  deps: StreamCommandDeps,
): Promise<number> {
  const values = parseOptions(argv, OPTIONS);
  const path = oneOf('--path', values.path, PATHS);
  if (!isHookPath(path) && values.group !== undefined) {
    throw new UsageError('--group applies to --path sqs only');
  }
  if (values['dry-run'] && values.yes) {
    throw new UsageError('--dry-run and --yes contradict each other');
  }
  const json = values.json ?? false;
  const say = (line: string): void => {
    // With --json, stdout holds the one JSON document; the narrative goes to stderr.
    (json ? io.stderr : io.stdout).write(`${line}\n`);
  };

  const { stack, api } = await connect(values, io, deps, 'required');
  if (stack === undefined) throw new CommandError('the stack outputs are needed');
  if (isSettingPath(path)) {
    return configureSetting(path, stack, api, values, io, say);
  }
  const desired = isHookPath(path)
    ? desiredHooks(stack, stackHooks(stack), path, values.group)
    : [pendingMessageHook(stack)];
  const current = eventHooksOf(await api.getApp());
  const plan = planEventHooks(current, desired);

  const report = (applied: boolean): number => {
    if (json) {
      writeLosslessJson(io, {
        path,
        changed: plan.changed,
        applied,
        changes: plan.changes.map(changeJson),
      });
    }
    return EXIT_OK;
  };

  say(
    `Stack ${stack.stackName} (${stack.origin}), path ${path}; the app has ${current.length} ` +
      `hook${current.length === 1 ? '' : 's'} (${api.baseUrl}).`,
  );
  formatPlan(plan).forEach(say);
  if (!plan.changed) {
    say('Nothing to change: the app already has these hooks.');
    return report(false);
  }
  if (values['dry-run']) {
    say('Dry run: nothing sent.');
    return report(false);
  }
  if (!values.yes) {
    if (!io.interactive) {
      throw new CommandError(
        'not applied: no terminal to confirm on; re-run with --yes to apply (or --dry-run to only look)',
      );
    }
    const ok = await io.confirm(
      `Replace the app's event_hooks with these ${plan.hooks.length} hooks?`,
    );
    if (!ok) {
      say('Not applied.');
      if (json) report(false);
      return EXIT_FAILURE;
    }
  }
  await api.updateEventHooks(plan.hooks);
  say(`Applied: the app now has ${plan.hooks.length} hook${plan.hooks.length === 1 ? '' : 's'}.`);
  return report(true);
}

export const configureCommand: Command = createConfigureCommand();

/** `--path before-message-send|custom-commands`: PATCHes the one app setting, nothing else. */
async function configureSetting(
  path: SettingPath,
  stack: StackOutputs,
  api: StreamApi,
  values: { readonly json?: boolean; readonly 'dry-run'?: boolean; readonly yes?: boolean },
  io: CommandIO,
  say: (line: string) => void,
): Promise<number> {
  const plan = planSetting(path, stack, await api.getApp());
  const report = (applied: boolean): number => {
    if (values.json) {
      writeLosslessJson(io, {
        path,
        setting: plan.field,
        before: plan.before,
        after: plan.after,
        changed: plan.changed,
        applied,
      });
    }
    return EXIT_OK;
  };

  say(`Stack ${stack.stackName} (${stack.origin}), path ${path} (${api.baseUrl}).`);
  say(`${plan.field}`);
  say(`  before  ${plan.before ?? '(not set)'}`);
  say(`  after   ${plan.after}`);
  if (!plan.changed) {
    say(`Nothing to change: the app already has this ${SETTINGS[path].field}.`);
    return report(false);
  }
  if (values['dry-run']) {
    say('Dry run: nothing sent.');
    return report(false);
  }
  if (!values.yes) {
    if (!io.interactive) {
      throw new CommandError(
        'not applied: no terminal to confirm on; re-run with --yes to apply (or --dry-run to only look)',
      );
    }
    if (!(await io.confirm(`Set the app's ${plan.field}?`))) {
      say('Not applied.');
      if (values.json) report(false);
      return EXIT_FAILURE;
    }
  }
  await api.updateAppSettings({ [plan.field]: plan.after });
  say(`Applied: ${plan.field} is set.`);
  return report(true);
}
