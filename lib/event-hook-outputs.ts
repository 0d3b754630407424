import { Tokenization } from 'aws-cdk-lib';
import { eventHookOutputPartKey } from '../contract/stack-outputs.js';
import type { CatalogEventType } from '../lambda/lib/domain/event-catalog.js';
import type { StreamEventHook } from './routing/event-hooks.js';

/** CloudFormation's limit on an output value, in characters. */
export const CFN_OUTPUT_VALUE_LIMIT = 4096;

/**
 * The most characters one token in a hook can resolve to. The tokens are a queue URL (about 140
 * at most: a region, an account id and a queue name CloudFormation caps at 80), a topic ARN
 * (about 200: the generated topic name starts with the stack name), the webhook URL (about 80)
 * and a region; 256 bounds them all.
 */
export const TOKEN_LENGTH_BOUND = 256;

/** One output: its id and the `event_hooks` entries its value holds, as a JSON array. */
export interface EventHookOutput {
  readonly id: string;
  /** 1 for the only or the first part; n of `parts` for the rest. */
  readonly part: number;
  readonly parts: number;
  readonly hooks: readonly StreamEventHook[];
}

/**
 * The most characters `text` can have once CloudFormation has resolved the tokens in it: its
 * literal characters, plus `TOKEN_LENGTH_BOUND` per token.
 */
export function resolvedLengthBound(text: string): number {
  const placeholder = 'x'.repeat(TOKEN_LENGTH_BOUND);
  const bounded: unknown = Tokenization.reverseString(text)
    .mapTokens({ mapToken: () => placeholder })
    .join({
      join: (left: unknown, right: unknown) => `${String(left ?? '')}${String(right ?? '')}`,
    });
  return String(bounded ?? '').length;
}

/**
 * The outputs for one hook, each value a JSON array that fits an output value. Normally one:
 * `[hook]` under `id`. A hook whose expanded `event_types` would not fit (172 types take some
 * 4.5 KB) is split into entries with the same target and consecutive slices of the types, under
 * `id`, `idPart2`, `idPart3`, ...; registering every part delivers each type exactly once, as the
 * one hook would. `*` is `event_types: []` and always fits.
 */
export function eventHookOutputs(
  id: string,
  hook: StreamEventHook,
  limit: number = CFN_OUTPUT_VALUE_LIMIT,
): EventHookOutput[] {
  const fits = (hooks: readonly StreamEventHook[]): boolean =>
    resolvedLengthBound(JSON.stringify(hooks)) <= limit;
  if (fits([hook])) return [{ id, part: 1, parts: 1, hooks: [hook] }];

  const slices: CatalogEventType[][] = [];
  let slice: CatalogEventType[] = [];
  for (const type of hook.event_types) {
    if (slice.length > 0 && !fits([{ ...hook, event_types: [...slice, type] }])) {
      slices.push(slice);
      slice = [];
    }
    slice.push(type);
    if (!fits([{ ...hook, event_types: slice }])) {
      throw new Error(
        `${id}: one event type does not fit an output value next to the hook's target`,
      );
    }
  }
  slices.push(slice);
  return slices.map((types, index) => ({
    id: eventHookOutputPartKey(id, index + 1),
    part: index + 1,
    parts: slices.length,
    hooks: [{ ...hook, event_types: types }],
  }));
}
