/**
 * How a hook plan reads to a person: each hook of ours with what happens to it and the fields
 * that change; `event_types` as a count with the types added and removed. Key and secret fields
 * (`sqs_key`, `sns_secret`, ...) are never shown.
 */
import {
  eventTypesOf,
  eventHookLabel,
  isEventHookPath,
  TARGET_FIELD,
  type EventHookChange,
  type EventHookPlan,
  type RawEventHook,
} from './event-hook-plan.js';
import { jsonEqual, stringifyJson, type Json, type JsonObject } from './stream-api-json.js';

const SECRET_FIELD = /(^|_)(key|secret)$/;
const HIDDEN = '(hidden)';
/** Types listed for a hook being added; the rest are counted. */
const LISTED_TYPES = 8;

/** A top-level setting's value as shown: `(hidden)` for a key or secret, `(not set)` for none. */
export function settingValue(field: string, value: string | null): string | null {
  return value !== null && SECRET_FIELD.test(field) ? HIDDEN : value;
}

/** One top-level setting, before and after, for the terminal. */
export function formatSetting(
  field: string,
  before: string | null,
  after: string | null,
): string[] {
  return [
    field,
    `  before  ${settingValue(field, before) ?? '(not set)'}`,
    `  after   ${settingValue(field, after) ?? '(not set)'}`,
  ];
}

/** The hook with its key and secret fields hidden, for printing (text or `--json`). */
export function redactEventHook(hook: RawEventHook): RawEventHook {
  if (!Object.keys(hook).some((key) => SECRET_FIELD.test(key))) return hook;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(hook)) {
    Object.defineProperty(result, key, {
      value: SECRET_FIELD.test(key) && value !== '' && value !== null ? HIDDEN : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** A change as `--json` prints it. */
export function changeJson(change: EventHookChange): JsonObject {
  return {
    action: change.action,
    hook: redactEventHook(change.hook),
    ...(change.before === undefined ? {} : { before: redactEventHook(change.before) }),
  };
}

function typeList(value: Json | undefined): string[] | null {
  const types = eventTypesOf(value);
  if (!Array.isArray(types)) return null;
  return types.map((type: Json) => (typeof type === 'string' ? type : stringifyJson(type)));
}

function countTypes(types: readonly string[]): string {
  return types.length === 0 ? 'all events' : `${types.length} type${types.length === 1 ? '' : 's'}`;
}

/** `event_types` of a new hook: the count and the first few types. */
export function describeTypes(value: Json | undefined): string {
  const types = typeList(value);
  // Not a list: shown as Stream sent it (null and absent read as every event, above).
  if (types === null) return stringifyJson(eventTypesOf(value));
  if (types.length === 0) return countTypes(types);
  const listed = types.slice(0, LISTED_TYPES).join(', ');
  const more = types.length > LISTED_TYPES ? `, … ${types.length - LISTED_TYPES} more` : '';
  return `${countTypes(types)}: ${listed}${more}`;
}

/** `event_types` before → after: the counts, then every type added and removed. */
export function describeTypeChange(before: Json | undefined, after: Json | undefined): string[] {
  const from = typeList(before);
  const to = typeList(after);
  if (from === null || to === null) {
    return [`${describeTypes(before)} → ${describeTypes(after)}`];
  }
  const lines = [`${countTypes(from)} → ${countTypes(to)}`];
  if (from.length === 0 || to.length === 0) return lines;
  const added = to.filter((type) => !from.includes(type));
  const removed = from.filter((type) => !to.includes(type));
  if (added.length > 0) lines.push(`+ ${added.join(', ')}`);
  if (removed.length > 0) lines.push(`- ${removed.join(', ')}`);
  return lines;
}

function show(value: Json | undefined): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : stringifyJson(value);
}

function idOf(hook: RawEventHook): string {
  return typeof hook.id === 'string' && hook.id !== '' ? ` (id ${hook.id})` : '';
}

function fieldLines(entries: readonly [string, string[]][]): string[] {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.flatMap(([key, [first, ...rest]]) => [
    `    ${key.padEnd(width)}  ${first ?? ''}`,
    ...rest.map((line) => `    ${' '.repeat(width)}  ${line}`),
  ]);
}

/** The lines for one change. */
export function formatEventHookChange(change: EventHookChange): string[] {
  const hook = redactEventHook(change.hook);
  switch (change.action) {
    case 'add': {
      // The label shows the type and target already.
      const type = hook.hook_type;
      const shown = [
        'hook_type',
        typeof type === 'string' && isEventHookPath(type) ? TARGET_FIELD[type] : '',
      ];
      return [
        `+ add ${eventHookLabel(hook)}`,
        ...fieldLines(
          Object.entries(hook)
            .filter(([key]) => !shown.includes(key))
            .map(([key, value]): [string, string[]] => [
              key,
              [key === 'event_types' ? describeTypes(value) : show(value)],
            ]),
        ),
      ];
    }
    case 'update': {
      const before = redactEventHook(change.before ?? {});
      const changed = Object.keys(hook).filter((key) => !jsonEqual(before[key], hook[key]));
      return [
        `~ update ${eventHookLabel(hook)}${idOf(hook)}`,
        ...fieldLines(
          changed.map((key): [string, string[]] => [
            key,
            key === 'event_types'
              ? describeTypeChange(before[key], hook[key])
              : [`${show(before[key])} → ${show(hook[key])}`],
          ]),
        ),
      ];
    }
    case 'keep':
      return [`= unchanged ${eventHookLabel(hook)}${idOf(hook)}`];
    case 'remove':
      return [
        `- remove ${eventHookLabel(hook)}${idOf(hook)}: a second hook on this target ` +
          '(the one kept carries all its event types)',
      ];
  }
}

/** The whole plan, for the terminal. */
export function formatEventHookPlan(plan: EventHookPlan): string[] {
  const lines = plan.changes.flatMap(formatEventHookChange);
  if (plan.others > 0) {
    lines.push(
      `${plan.others} other hook${plan.others === 1 ? '' : 's'} kept as ${plan.others === 1 ? 'it is' : 'they are'}.`,
    );
  }
  return lines;
}
