/**
 * The `configure` paths for Stream's synchronous hooks (lib/sync-hooks.ts): two top-level app
 * settings and one `pending_message` event hook, each read from a stack output. Pure, no I/O.
 */
import { CommandError } from './command.js';
import type { RawEventHook } from './event-hook-plan.js';
import type { StackOutputs } from './stack-outputs.js';
import { isJsonObject, type JsonObject } from './stream-api-json.js';

/** Paths that set one top-level app setting (not `event_hooks`). */
export const SETTING_PATHS = ['before-message-send', 'custom-commands'] as const;
export type SettingPath = (typeof SETTING_PATHS)[number];

/** The path that registers a `pending_message` event hook. */
export const PENDING_MESSAGES_PATH = 'pending-messages';

export function isSettingPath(value: string): value is SettingPath {
  return (SETTING_PATHS as readonly string[]).includes(value);
}

interface SettingSpec {
  /** The app setting `PATCH /api/v2/app` takes. */
  readonly field: string;
  /** The stack output holding the URL. */
  readonly output: string;
  /** Appended to the output's URL. */
  readonly suffix: string;
}

export const SETTINGS: Readonly<Record<SettingPath, SettingSpec>> = {
  'before-message-send': {
    field: 'before_message_send_hook_url',
    output: 'BeforeMessageSendUrl',
    suffix: '',
  },
  // Stream replaces `{type}` with the command's name: the handler dispatches on `?type=`.
  'custom-commands': {
    field: 'custom_action_handler_url',
    output: 'CustomCommandsUrl',
    suffix: '?type={type}',
  },
};

export interface SettingPlan {
  readonly field: string;
  /** The app's value as GET returned it; null when unset or empty. */
  readonly before: string | null;
  readonly after: string;
  readonly changed: boolean;
}

function requiredOutput(stack: StackOutputs, output: string): string {
  const value = stack.outputs[output];
  if (value === undefined || value === '') {
    throw new CommandError(
      `stack "${stack.stackName}" (${stack.origin}) has no output ${output}: the synchronous ` +
        'hooks are not deployed (stack prop syncHooks: { enabled: true }, context "syncHooks") ' +
        'or the stack predates them',
    );
  }
  return value;
}

/** The setting's new value from the stack outputs, against the app as `GET /api/v2/app` returned it. */
export function planSetting(
  path: SettingPath,
  stack: StackOutputs,
  answer: JsonObject,
): SettingPlan {
  const { field, output, suffix } = SETTINGS[path];
  const after = `${requiredOutput(stack, output)}${suffix}`;
  const app = answer.app;
  if (!isJsonObject(app))
    throw new CommandError("Stream's GET /api/v2/app answer has no app object");
  const current = app[field];
  const before = typeof current === 'string' && current !== '' ? current : null;
  return { field, before, after, changed: before !== after };
}

/**
 * The `pending_message` hook for the stack: Stream POSTs `<webhook_url>/PassOnPendingMessage` and
 * `/DeletedPendingMessage` (callback mode REST). No `timeout_ms`: Stream's default applies, and
 * one set on an existing hook is kept.
 */
export function pendingMessageHook(stack: StackOutputs): RawEventHook {
  return {
    hook_type: 'pending_message',
    enabled: true,
    webhook_url: requiredOutput(stack, 'PendingMessagesUrl'),
    callback: { mode: 'CALLBACK_MODE_REST' },
  };
}
