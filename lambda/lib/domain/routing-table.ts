import type { RouteSettings } from '../../../contract/env/verifier.js';
import { patternMatches } from './patterns.js';

/**
 * One consumer group as the verifier sees it: which event types it takes and where they go.
 * The stack writes the whole table into the verifier's environment (contract/env/verifier.ts
 * writes and reads it), so the table in the stack's props stays the only place routing is written.
 */
export type GroupRoute = RouteSettings;

export function matchesAny(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => patternMatches(pattern, type));
}

/** Every group whose patterns take `type`, in table order. */
export function routesFor<R extends Pick<GroupRoute, 'patterns'>>(
  type: string,
  routes: readonly R[],
): R[] {
  return routes.filter((route) => matchesAny(route.patterns, type));
}
