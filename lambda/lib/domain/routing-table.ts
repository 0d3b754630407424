import { ConfigError } from '../config/env.js';
import { patternMatches } from './patterns.js';
import { assertValidGroupName } from '../../../contract/names.js';
import { assertValidPattern } from '../../../contract/patterns.js';

/**
 * One consumer group as the verifier sees it: which event types it takes and where they go.
 * The stack writes the whole table into the verifier's `ROUTES` env value (JSON), so the table in
 * the stack's props stays the only place routing is written.
 */
export interface GroupRoute {
  readonly group: string;
  readonly patterns: readonly string[];
  readonly queueUrl: string;
  /** A FIFO queue (per-entity ordering) needs MessageGroupId and MessageDeduplicationId. */
  readonly fifo: boolean;
}

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

/** Parses and checks the verifier's `ROUTES` value at cold start. */
export function parseRoutes(json: string): GroupRoute[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError('ROUTES is not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ConfigError('ROUTES must be a non-empty JSON array of consumer groups');
  }
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const route = entry as Partial<GroupRoute> | null;
    if (
      route === null ||
      typeof route.group !== 'string' ||
      typeof route.queueUrl !== 'string' ||
      route.queueUrl === '' ||
      typeof route.fifo !== 'boolean' ||
      !Array.isArray(route.patterns) ||
      route.patterns.length === 0 ||
      !route.patterns.every((p): p is string => typeof p === 'string')
    ) {
      throw new ConfigError(
        `ROUTES[${index}] must be {group, patterns: string[], queueUrl, fifo: boolean}`,
      );
    }
    try {
      assertValidGroupName(route.group);
    } catch (error) {
      throw new ConfigError(`ROUTES[${index}]: ${(error as Error).message}`);
    }
    // A group named twice is a slip in the table: each of its events would be sent twice.
    if (seen.has(route.group)) throw new ConfigError(`ROUTES names group "${route.group}" twice`);
    seen.add(route.group);
    route.patterns.forEach(assertValidPattern);
    return {
      group: route.group,
      patterns: route.patterns,
      queueUrl: route.queueUrl,
      fifo: route.fifo,
    };
  });
}
