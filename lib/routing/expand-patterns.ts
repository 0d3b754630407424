/**
 * Event patterns read against the event catalog, for what is fixed at synth time: the
 * `event_types` of a Stream hook, and the warning for a pattern that can never match a known type.
 * Matching is `patternMatches`, the function the Lambdas route with, so both read a pattern alike.
 */
import { ALL_EVENT_TYPES, type CatalogEventType } from '../../lambda/lib/domain/event-catalog.js';
import { patternMatches } from '../../lambda/lib/domain/patterns.js';
import { assertValidPattern } from '../../contract/patterns.js';

/** The catalog types any of `patterns` matches, sorted and each once. Throws on a malformed pattern. */
export function expandPatterns(patterns: readonly string[]): CatalogEventType[] {
  patterns.forEach(assertValidPattern);
  // ALL_EVENT_TYPES is sorted and has no duplicates, so filtering keeps both properties.
  return ALL_EVENT_TYPES.filter((type) =>
    patterns.some((pattern) => patternMatches(pattern, type)),
  );
}

/**
 * The patterns that match no catalog type (each once, in the order given): a typo, or a custom
 * event type the SDK does not declare. Worth a synth warning, not an error: a custom type still
 * routes when it arrives, but a hook's `event_types`, built from the catalog, leave it out.
 */
export function patternsMatchingNothing(patterns: readonly string[]): string[] {
  patterns.forEach(assertValidPattern);
  return [...new Set(patterns)].filter(
    (pattern) => !ALL_EVENT_TYPES.some((type) => patternMatches(pattern, type)),
  );
}
