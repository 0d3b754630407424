/**
 * The new `event_hooks` array for a Stream app: pure, no I/O. Stream replaces the whole array on
 * `PATCH /api/v2/app`, so the plan starts from exactly what `GET` returned and touches only the
 * hooks that point at this stack.
 *
 * Matching rule: a hook is ours when its `hook_type` and its target are those of a hook the stack
 * outputs: `webhook_url` for `webhook`, `sqs_queue_url` for `sqs`, `sns_topic_arn` for `sns`,
 * compared as exact strings (the outputs hold the values CloudFormation resolved, which is what
 * an earlier `configure` wrote). Both must match: a `pending_message` hook on our webhook URL, say,
 * is not ours. Ours are updated in place (same position, same `id` and every other field Stream
 * keeps); hooks for targets Stream does not have yet are appended; every other hook is kept as it
 * came, except for its timestamps (below).
 */
import {
  isJsonObject,
  jsonEqual,
  LosslessNumber,
  type Json,
  type JsonObject,
} from './stream-api-json.js';

/** A hook as Stream returned it: every field, known or not, in Stream's key order. */
export type RawEventHook = JsonObject;

export const EVENT_HOOK_PATHS = ['webhook', 'sqs', 'sns'] as const;
export type EventHookPath = (typeof EVENT_HOOK_PATHS)[number];

export function isEventHookPath(value: string): value is EventHookPath {
  return (EVENT_HOOK_PATHS as readonly string[]).includes(value);
}

/** The field that names where each hook type delivers. */
export const TARGET_FIELD: Readonly<Record<EventHookPath, string>> = {
  webhook: 'webhook_url',
  sqs: 'sqs_queue_url',
  sns: 'sns_topic_arn',
};

export interface EventHookTarget {
  readonly type: string;
  /** The URL, queue URL or topic ARN; null when the hook has none we know of. */
  readonly target: string | null;
}

/** The hook's type and target. Unknown hook types report their `webhook_url`, if any. */
export function eventHookTarget(hook: Json): EventHookTarget {
  if (!isJsonObject(hook)) return { type: '?', target: null };
  const type = typeof hook.hook_type === 'string' ? hook.hook_type : '?';
  const field = isEventHookPath(type) ? TARGET_FIELD[type] : 'webhook_url';
  const target = hook[field];
  return { type, target: typeof target === 'string' && target !== '' ? target : null };
}

function targetKey(hook: Json): string | null {
  const { type, target } = eventHookTarget(hook);
  return target === null ? null : `${type}\u0000${target}`;
}

export type EventHookAction = 'add' | 'update' | 'keep' | 'remove';

export interface EventHookChange {
  /**
   * `add`: appended; `update`: ours, changed in place; `keep`: ours, already right; `remove`: a
   * second hook on one of our targets (from registering split outputs by hand, say), dropped
   * because the hook kept for that target now carries every one of its types.
   */
  readonly action: EventHookAction;
  /** The hook as it will be sent (for `remove`, as it was). */
  readonly hook: RawEventHook;
  /** For `update` and `remove`: the hook as Stream returned it (timestamps converted). */
  readonly before?: RawEventHook;
}

export interface EventHookPlan {
  /** The whole array to send: Stream replaces the app's hooks with it. */
  readonly hooks: Json[];
  /** One entry per hook of ours, in the order of `hooks` (removals last). */
  readonly changes: EventHookChange[];
  /** How many hooks that are not ours are kept. */
  readonly others: number;
  /** True when a PATCH is needed: something was added, updated or removed. */
  readonly changed: boolean;
}

const TIMESTAMP_FIELDS = ['created_at', 'updated_at'] as const;

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * RFC 3339 with all nine digits of the fraction: `2024-05-01T12:34:56.123456789Z`. Null when the
 * instant is outside what a `Date` can print.
 */
export function nanosToRfc3339(nanos: bigint): string | null {
  let seconds = nanos / NANOS_PER_SECOND;
  let fraction = nanos % NANOS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NANOS_PER_SECOND;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  if (!/^\d{4}-/.test(iso)) return null; // a year past 9999 or before 0
  return `${iso.slice(0, 19)}.${fraction.toString().padStart(9, '0')}Z`;
}

function integerText(value: Json): string | null {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : null;
  if (value instanceof LosslessNumber) return /^-?\d+$/.test(value.raw) ? value.raw : null;
  return null;
}

/**
 * The hook as PATCH accepts it. GET returns `created_at` / `updated_at` as integer nanoseconds and
 * PATCH rejects numbers there (it wants RFC 3339 strings, or nothing). We convert rather than drop:
 * the value is the same instant with nanosecond precision, only in the encoding PATCH takes, so
 * the hook stays what Stream returned and nothing Stream recorded is lost should it honour the
 * field (dropping it could let the server stamp the time of our PATCH instead). A value that is
 * neither a string nor an integer we can convert is left out, the other form PATCH accepts.
 * Applied to every hook, ours or not, because the PATCH carries the whole array. Key order is kept.
 */
export function patchableEventHook(hook: RawEventHook): RawEventHook {
  if (!TIMESTAMP_FIELDS.some((field) => field in hook && typeof hook[field] !== 'string')) {
    return hook;
  }
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(hook)) {
    let converted: Json | undefined = value;
    if ((TIMESTAMP_FIELDS as readonly string[]).includes(key) && typeof value !== 'string') {
      const digits = integerText(value);
      converted = digits === null ? undefined : (nanosToRfc3339(BigInt(digits)) ?? undefined);
    }
    if (converted !== undefined) {
      Object.defineProperty(result, key, {
        value: converted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return result;
}

function patchable(hook: Json): Json {
  return isJsonObject(hook) ? patchableEventHook(hook) : hook;
}

/**
 * Null, absent and `[]` are one value, every event: Stream's GET writes `null` for a hook that
 * takes every event, so comparing them as JSON would PATCH an already-wired app on every run.
 */
export function eventTypesOf(value: Json | undefined): Json {
  return value === null || value === undefined ? [] : value;
}

function sameTypes(current: Json | undefined, desired: Json | undefined): boolean {
  const before = eventTypesOf(current);
  const after = eventTypesOf(desired);
  if (!Array.isArray(before) || !Array.isArray(after)) return jsonEqual(before, after);
  // Stream may return the types in its own order; the set is what counts.
  const have = new Set(before.map((type: Json) => JSON.stringify(type)));
  const want = new Set(after.map((type: Json) => JSON.stringify(type)));
  return have.size === want.size && [...want].every((type) => have.has(type));
}

/** `current` with `desired`'s fields applied in place; null when nothing differs. */
function updated(current: RawEventHook, desired: RawEventHook): RawEventHook | null {
  const result: Record<string, Json> = { ...current };
  let changed = false;
  for (const [key, value] of Object.entries(desired)) {
    const same =
      key === 'event_types' ? sameTypes(current[key], value) : jsonEqual(current[key], value);
    if (!same) {
      result[key] = value;
      changed = true;
    }
  }
  return changed ? result : null;
}

/**
 * Plans the app's new `event_hooks`: `current` is the array exactly as GET returned it, `desired`
 * our hooks for one path (one per target; see the matching rule above). Idempotent: planning
 * again from the returned `hooks` gives `changed: false`.
 */
export function planEventHooks(
  current: readonly Json[],
  desired: readonly RawEventHook[],
): EventHookPlan {
  const wanted = new Map<string, RawEventHook>();
  for (const hook of desired) {
    const key = targetKey(hook);
    if (key === null) throw new Error('a desired hook has no hook_type and target');
    if (wanted.has(key))
      throw new Error(`two desired hooks share one target: ${eventHookLabel(hook)}`);
    wanted.set(key, hook);
  }

  const hooks: Json[] = [];
  const changes: EventHookChange[] = [];
  const removals: EventHookChange[] = [];
  const seen = new Set<string>();
  let others = 0;
  for (const original of current) {
    const hook = patchable(original);
    const key = targetKey(hook);
    const mine = key === null ? undefined : wanted.get(key);
    if (key === null || mine === undefined || !isJsonObject(hook)) {
      hooks.push(hook);
      others += 1;
      continue;
    }
    if (seen.has(key)) {
      removals.push({ action: 'remove', hook, before: hook });
      continue;
    }
    seen.add(key);
    const next = updated(hook, mine);
    if (next === null) {
      hooks.push(hook);
      changes.push({ action: 'keep', hook });
    } else {
      hooks.push(next);
      changes.push({ action: 'update', hook: next, before: hook });
    }
  }
  for (const [key, hook] of wanted) {
    if (seen.has(key)) continue;
    hooks.push(hook);
    changes.push({ action: 'add', hook });
  }
  changes.push(...removals);
  return {
    hooks,
    changes,
    others,
    changed: changes.some((change) => change.action !== 'keep'),
  };
}

/** `sqs https://sqs.../queue` — for messages. */
export function eventHookLabel(hook: Json): string {
  const { type, target } = eventHookTarget(hook);
  return `${type} ${target ?? '(no target)'}`;
}
