/**
 * `configure --path webhook|sqs|sns --legacy`: for an app not yet on multiple event hooks, points
 * its single legacy setting (`webhook_url`, `sqs_url`, `sns_topic_arn`) at the stack instead of
 * `event_hooks`, which such an app ignores (legacy-delivery-settings.ts).
 */
import { CommandError, type CommandIO } from './command.js';
import { confirmAndApply, type ApplyOptions } from './configure-apply.js';
import { formatSetting, settingValue } from './event-hook-diff-format.js';
import type { EventHookPath, RawEventHook } from './event-hook-plan.js';
import {
  LEGACY_SETTINGS,
  legacyPatch,
  planLegacy,
  usesEventHooks,
  type SettingChange,
} from './legacy-delivery-settings.js';
import { stackEventHooks, type StackOutputs } from './stack-outputs.js';
import type { StreamApi } from './stream-api.js';
import { writeLosslessJson } from './stream-api-context.js';
import type { JsonObject } from './stream-api-json.js';

export interface LegacyOptions extends ApplyOptions {
  readonly json?: boolean;
}

/** The one stack hook the legacy settings can hold; checked before Stream is asked anything. */
export function legacyHook(stack: StackOutputs, desired: readonly RawEventHook[]): RawEventHook {
  const [hook] = desired;
  if (hook === undefined || desired.length > 1) {
    const groups = [...stackEventHooks(stack).sqs.values()].map((entry) => entry.group).join(', ');
    throw new CommandError(
      `the legacy settings hold one queue (sqs_url): name it with --group (groups: ${groups})`,
    );
  }
  return hook;
}

/** `hook` is the stack's (legacyHook), `app` the app's settings as GET returned them. */
export async function configureLegacy(
  path: EventHookPath,
  stack: StackOutputs,
  hook: RawEventHook,
  app: JsonObject,
  api: StreamApi,
  options: LegacyOptions,
  io: CommandIO,
  say: (line: string) => void,
): Promise<number> {
  const { target } = LEGACY_SETTINGS[path];
  if (usesEventHooks(app)) {
    throw new CommandError(
      `--legacy: this app is on multiple event hooks (use_hook_v2 is ${String(app.use_hook_v2 ?? 'not given')}), ` +
        `so Stream ignores ${target} and delivers by event_hooks; run configure without --legacy`,
    );
  }
  const plan = planLegacy(path, hook, app);

  say(
    `Stack ${stack.stackName} (${stack.origin}), path ${path}, legacy settings: this app is not ` +
      `on multiple event hooks (use_hook_v2 is false), so ${target} is where Stream delivers (${api.baseUrl}).`,
  );
  for (const change of plan.changes)
    formatSetting(change.field, change.before, change.after).forEach(say);
  for (const warning of plan.warnings) io.stderr.write(`warning: ${warning}\n`);

  const patch = legacyPatch(plan);
  const fields = Object.keys(patch);
  return confirmAndApply(
    {
      changed: plan.changed,
      unchanged: `Nothing to change: the app's ${target} is already this stack's.`,
      question: `Set the app's ${fields.join(', ')}?`,
      send: async () => {
        await api.updateAppSettings(patch);
        return `Applied: ${appliedText(plan.changes.filter((change) => fields.includes(change.field)))}.`;
      },
      report: (applied) => {
        if (!options.json) return;
        writeLosslessJson(io, {
          path,
          legacy: true,
          settings: plan.changes.map((change) => ({
            setting: change.field,
            before: settingValue(change.field, change.before),
            after: settingValue(change.field, change.after),
          })),
          warnings: plan.warnings,
          changed: plan.changed,
          applied,
        });
      },
    },
    options,
    io,
    say,
  );
}

/** `sqs_url is set; sqs_key and sqs_secret are cleared` */
function appliedText(changes: readonly SettingChange[]): string {
  const phrase = (names: string[], done: string): string[] =>
    names.length === 0
      ? []
      : [`${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} ${done}`];
  return [
    ...phrase(
      changes.filter((change) => change.after !== null).map((change) => change.field),
      'set',
    ),
    ...phrase(
      changes.filter((change) => change.after === null).map((change) => change.field),
      'cleared',
    ),
  ].join('; ');
}
