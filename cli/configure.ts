/**
 * `stream-events configure --path webhook|sqs|sns|pending-messages`: points the Stream app's
 * `event_hooks` at the deployed stack without touching any other hook. `--path
 * before-message-send|custom-commands` sets one top-level app setting instead (sync-hook-paths.ts).
 * Reads the stack's outputs, reads the app from Stream, plans the new array (event-hook-plan.ts),
 * prints the diff, and PATCHes only with `--yes` or a confirm on a terminal.
 */
import {
  CommandError,
  defineCommand,
  parseOptions,
  UsageError,
  type Command,
  type CommandIO,
  oneOf,
} from './command.js';
import { confirmAndApply } from './configure-apply.js';
import { configureLegacy, legacyHook } from './configure-legacy.js';
import { changeJson, formatEventHookPlan, formatSetting } from './event-hook-diff-format.js';
import { EVENT_HOOK_PATHS, isEventHookPath, planEventHooks } from './event-hook-plan.js';
import { notOnEventHooks, usesEventHooks } from './legacy-delivery-settings.js';
import { desiredEventHooks, stackEventHooks } from './stack-outputs.js';
import { appSettingsOf, eventHooksOf, type StreamApi } from './stream-api.js';
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
import { commandInfo } from './command-list.js';

const PATHS = [...EVENT_HOOK_PATHS, PENDING_MESSAGES_PATH, ...SETTING_PATHS];

const OPTIONS = {
  ...COMMON_OPTIONS,
  path: { type: 'string' },
  group: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  legacy: { type: 'boolean' },
} as const;

const HELP = `Usage: stream-events configure --path webhook|sqs|sns|pending-messages|before-message-send|custom-commands
       [options]

Registers this stack's hook(s) for one delivery path in the Stream app's event_hooks: adds them,
or updates them in place (same id) when their fields or event types changed. Every other hook
stays exactly as Stream returned it (Stream replaces the whole list on update). Shows the
changes first; applies them with --yes, or after you confirm on a terminal. Running it again with
nothing to change changes nothing. An app not yet on multiple event hooks (use_hook_v2 false)
ignores event_hooks: configure then sends nothing and exits 1, saying so (see --legacy).

  --path <path>          webhook (EventHooksWebhook), sqs (EventHooksSqs*: every consumer
                         group's queue) or sns (EventHooksSns); pending-messages (a
                         pending_message hook on PendingMessagesUrl, callback mode REST);
                         before-message-send or custom-commands: sets the app setting
                         before_message_send_hook_url (BeforeMessageSendUrl) or
                         custom_action_handler_url (CustomCommandsUrl + ?type={type}) alone,
                         not event_hooks
  --group <group>        with --path sqs: only this consumer group's queue
  --legacy               with --path webhook, sqs or sns, for an app not yet on multiple event
                         hooks (use_hook_v2 false), which ignores event_hooks: set its single
                         webhook_url, sqs_url (one --group) or sns_topic_arn instead, replacing
                         the current one (an sqs_key / sns_key pair set there is cleared, so the
                         stack's queue or topic policy applies)
  --dry-run              show the changes, send nothing
  --yes, -y              apply without asking (needed when not on a terminal)

${COMMON_HELP}

--json prints {"path", "changed", "applied", "changes": [{"action": "add"|"update"|"keep"|"remove",
"hook", "before"?}]}; for before-message-send and custom-commands {"path", "setting", "before",
"after", "changed", "applied"}; with --legacy {"path", "legacy": true, "settings": [{"setting",
"before", "after"}], "warnings", "changed", "applied"}.`;

export function createConfigureCommand(deps: StreamCommandDeps = {}): Command {
  return defineCommand({
    ...commandInfo('configure'),
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
  if (!isEventHookPath(path) && values.group !== undefined) {
    throw new UsageError('--group applies to --path sqs only');
  }
  if (values.legacy && !isEventHookPath(path)) {
    throw new UsageError(
      '--legacy applies to --path webhook, sqs or sns: the others have no legacy setting',
    );
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
  // Every check of the stack's outputs comes before Stream is asked anything.
  const desired = isEventHookPath(path)
    ? desiredEventHooks(stack, stackEventHooks(stack), path, values.group)
    : [pendingMessageHook(stack)];
  if (isEventHookPath(path) && values.legacy) {
    const hook = legacyHook(stack, desired);
    const app = appSettingsOf(await api.getApp());
    return configureLegacy(path, stack, hook, app, api, values, io, say);
  }
  const answer = await api.getApp();
  if (!usesEventHooks(appSettingsOf(answer))) throw new CommandError(notOnEventHooks(path));
  const current = eventHooksOf(answer);
  const plan = planEventHooks(current, desired);

  say(
    `Stack ${stack.stackName} (${stack.origin}), path ${path}; the app has ${current.length} ` +
      `hook${current.length === 1 ? '' : 's'} (${api.baseUrl}).`,
  );
  formatEventHookPlan(plan).forEach(say);
  return confirmAndApply(
    {
      changed: plan.changed,
      unchanged: 'Nothing to change: the app already has these hooks.',
      question: `Replace the app's event_hooks with these ${plan.hooks.length} hooks?`,
      send: async () => {
        await api.updateEventHooks(plan.hooks);
        return `Applied: the app now has ${plan.hooks.length} hook${plan.hooks.length === 1 ? '' : 's'}.`;
      },
      report: (applied) => {
        if (!json) return;
        writeLosslessJson(io, {
          path,
          changed: plan.changed,
          applied,
          changes: plan.changes.map(changeJson),
        });
      },
    },
    values,
    io,
    say,
  );
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
  say(`Stack ${stack.stackName} (${stack.origin}), path ${path} (${api.baseUrl}).`);
  formatSetting(plan.field, plan.before, plan.after).forEach(say);
  return confirmAndApply(
    {
      changed: plan.changed,
      unchanged: `Nothing to change: the app already has this ${SETTINGS[path].field}.`,
      question: `Set the app's ${plan.field}?`,
      send: async () => {
        await api.updateAppSettings({ [plan.field]: plan.after });
        return `Applied: ${plan.field} is set.`;
      },
      report: (applied) => {
        if (!values.json) return;
        writeLosslessJson(io, {
          path,
          setting: plan.field,
          before: plan.before,
          after: plan.after,
          changed: plan.changed,
          applied,
        });
      },
    },
    values,
    io,
    say,
  );
}
