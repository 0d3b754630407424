/**
 * Apps not yet on multiple event hooks. Such an app answers `"use_hook_v2": false`; Stream then
 * stores a PATCHed `event_hooks` but ignores it, and delivers every event to single top-level
 * settings (`webhook_url`, `sqs_url`, `sns_topic_arn`; `webhook_events` picks the types for all
 * of them). Stream moves apps over itself: its API has no field to switch (`use_hook_v2` is in
 * the app's settings but not in UpdateAppRequest). Pure, no I/O.
 */
import {
  eventTypesOf,
  eventHookTarget,
  type EventHookPath,
  type RawEventHook,
} from './event-hook-plan.js';
import type { Json, JsonObject } from './stream-api-json.js';

/** False only when Stream says so: an answer without the flag is taken as being on event hooks. */
export function usesEventHooks(app: JsonObject): boolean {
  return app.use_hook_v2 !== false;
}

interface LegacySpec {
  /** The one setting that names where Stream delivers. */
  readonly target: string;
  /**
   * An AWS key pair Stream would use instead of the resource policy the stack grants: cleared
   * when set, so that Stream's own account writes under that policy.
   */
  readonly credentials: readonly string[];
}

export const LEGACY_SETTINGS: Readonly<Record<EventHookPath, LegacySpec>> = {
  webhook: { target: 'webhook_url', credentials: [] },
  sqs: { target: 'sqs_url', credentials: ['sqs_key', 'sqs_secret'] },
  sns: { target: 'sns_topic_arn', credentials: ['sns_key', 'sns_secret'] },
};

export interface SettingChange {
  readonly field: string;
  /** The app's value; null when unset or empty. */
  readonly before: string | null;
  /** The value to send; null to clear it (sent as `""`). */
  readonly after: string | null;
}

export interface LegacyPlan {
  /** The target setting, then any credentials to clear. */
  readonly changes: SettingChange[];
  readonly changed: boolean;
  /** What Stream will still not do after the change (the app's `webhook_events`). */
  readonly warnings: string[];
}

function text(app: JsonObject, field: string): string | null {
  const value = app[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

const LEGACY_TYPES = "the app's webhook_events, which applies to every legacy target,";

/**
 * What Stream will not send of what `wanted` (the stack hook's `event_types`) takes, given the
 * app's `selected` types. We never change `webhook_events`: it selects for every legacy target,
 * other integrations' included.
 */
export function legacyTypeWarnings(selected: Json | undefined, wanted: Json | undefined): string[] {
  const chosen = eventTypesOf(selected);
  const want = eventTypesOf(wanted);
  if (!Array.isArray(chosen) || chosen.length === 0 || !Array.isArray(want)) return [];
  if (want.length === 0) {
    return [
      `${LEGACY_TYPES} selects ${chosen.length} type${chosen.length === 1 ? '' : 's'}: Stream ` +
        'sends only what it selects, not every event this stack takes; clear the selection in ' +
        'the dashboard',
    ];
  }
  const missing = want.filter((type: Json) => !chosen.includes(type));
  if (missing.length === 0) return [];
  return [
    `${LEGACY_TYPES} lacks ${missing.length} of the types this stack takes ` +
      `(${missing.map(String).join(', ')}): Stream will not send them; add them in the dashboard`,
  ];
}

/** The legacy settings that point the path at `hook`'s target, against the app's settings. */
export function planLegacy(path: EventHookPath, hook: RawEventHook, app: JsonObject): LegacyPlan {
  const { target, credentials } = LEGACY_SETTINGS[path];
  const changes: SettingChange[] = [
    { field: target, before: text(app, target), after: eventHookTarget(hook).target },
  ];
  for (const field of credentials) {
    const before = text(app, field);
    if (before !== null) changes.push({ field, before, after: null });
  }
  return {
    changes,
    changed: changes.some((change) => change.before !== change.after),
    warnings: legacyTypeWarnings(app.webhook_events, hook.event_types),
  };
}

/** The PATCH body: only the settings that change. */
export function legacyPatch(plan: LegacyPlan): JsonObject {
  return Object.fromEntries(
    plan.changes
      .filter((change) => change.before !== change.after)
      .map((change) => [change.field, change.after ?? '']),
  );
}

/** `hooks`' warning for an app that ignores its `event_hooks`: where Stream delivers instead. */
export function ignoredEventHooksWarning(app: JsonObject): string {
  const targets = Object.values(LEGACY_SETTINGS)
    .map(({ target }) => [target, text(app, target)] as const)
    .filter(([, value]) => value !== null)
    .map(([target, value]) => `${target} ${value}`);
  return (
    'this app is not on multiple event hooks yet (use_hook_v2 is false): Stream ignores these ' +
    `event_hooks and delivers to its legacy settings alone: ${targets.join(', ') || 'none is set'} ` +
    '(see configure --legacy)'
  );
}

const NOT_MIGRATED =
  'this Stream app is not on multiple event hooks yet (use_hook_v2 is false), so Stream ' +
  'ignores event_hooks';
const HOW_TO_MIGRATE =
  'Stream moves apps over itself and its API has no call for it (an app whose dashboard shows a ' +
  'single webhook URL is not moved yet): ask Stream support to enable multiple event hooks, ' +
  'then run configure again';

/** Why `configure` sends nothing to an app not on event hooks, and what to do instead. */
export function notOnEventHooks(path: string): string {
  if (path === 'webhook' || path === 'sqs' || path === 'sns') {
    const { target } = LEGACY_SETTINGS[path];
    return (
      `not applied: ${NOT_MIGRATED} and delivers to its single ${target} setting alone. ${HOW_TO_MIGRATE}; ` +
      `or re-run with --legacy to set ${target} to this stack's, replacing the app's current one`
    );
  }
  return `not applied: ${NOT_MIGRATED}, and pending_message hooks exist only in event_hooks. ${HOW_TO_MIGRATE}`;
}
