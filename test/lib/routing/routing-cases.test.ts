/**
 * One table, every place a pattern is read: the consumer's routing (`patternMatches`), the
 * verifier's fan-out (`routesFor`), the SNS filter policy generated for a group (run through an
 * SNS stand-in), and the `event_types` of the Stream hook generated for it (for catalog types).
 * Each must give the answer the table gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES } from '../../../lambda/lib/domain/event-catalog.js';
import { patternMatches } from '../../../lambda/lib/domain/patterns.js';
import { matchesAny, routesFor } from '../../../lambda/lib/domain/routing-table.js';
import { hookEventTypes } from '../../../lib/routing/event-hooks.js';
import { expandPatterns } from '../../../lib/routing/expand-patterns.js';
import { snsFilterPolicyFor } from '../../../lib/routing/sns-filter-policy.js';
import { routingCases } from '../../fixtures/routing-cases.js';
import { snsDelivers } from '../../support/sns-filter-evaluator.js';

const catalog = new Set<string>(ALL_EVENT_TYPES);

/** What SNS does with an event of `type` for a subscription generated from `patterns`. */
function snsTakes(patterns: readonly string[], type: string): boolean {
  return snsDelivers(snsFilterPolicyFor(patterns), JSON.stringify({ type, created_at: 'x' }));
}

/**
 * Whether Stream sends `type` to a hook generated from `patterns`. A hook is not generated for
 * patterns that match no catalog type (the configure step refuses it), so it sends nothing.
 */
function hookTakes(patterns: readonly string[], type: string): boolean {
  if (!patterns.includes('*') && expandPatterns(patterns).length === 0) return false;
  const eventTypes: readonly string[] = hookEventTypes(patterns);
  return eventTypes.length === 0 || eventTypes.includes(type); // [] = every event
}

describe('the routing-case table', () => {
  describe.each(routingCases)('$pattern against $type: matches=$matches', (testCase) => {
    const { pattern, type, matches } = testCase;

    it('routes in the consumer', () => {
      expect(patternMatches(pattern, type)).toBe(matches);
    });

    it('fans out in the verifier', () => {
      const routes = [{ group: 'g', patterns: [pattern] }];
      expect(routesFor(type, routes).length === 1).toBe(matches);
    });

    it('passes the generated SNS filter policy', () => {
      expect(snsTakes([pattern], type)).toBe(matches);
    });

    it("agrees with the expansion and the Stream hook's event_types", () => {
      if (catalog.has(type)) {
        expect(expandPatterns([pattern]).includes(type as never)).toBe(matches);
        expect(hookTakes([pattern], type)).toBe(matches);
      } else {
        // A type the catalog lacks cannot be named in event_types; only `*` ([]) reaches it.
        expect(expandPatterns([pattern])).not.toContain(type);
        expect(hookTakes([pattern], type)).toBe(pattern === '*');
      }
    });
  });

  it('covers each product family and a custom type', () => {
    const types = new Set(routingCases.map((c) => c.type));
    for (const type of ['message.new', 'call.session_started', 'feeds.activity.added']) {
      expect(types).toContain(type);
    }
    expect(routingCases.some((c) => c.matches && !catalog.has(c.type))).toBe(true);
    expect(routingCases.some((c) => !c.matches)).toBe(true);
  });
});

/**
 * Groups have several patterns, and the SNS policy merges them (dropping those another covers).
 * For any set of patterns drawn from the table and the catalog, every path must still agree on
 * every catalog type and every type in the table.
 */
describe('a group of several patterns', () => {
  const prefixesOfCatalog = [
    ...new Set(
      ALL_EVENT_TYPES.flatMap((type) => {
        const parts = type.split('.');
        return parts.slice(1).map((_, i) => `${parts.slice(0, i + 1).join('.')}.*`);
      }),
    ),
  ];
  const pool = [
    ...new Set([...routingCases.map((c) => c.pattern), ...prefixesOfCatalog, ...ALL_EVENT_TYPES]),
  ];
  const types = [...new Set([...ALL_EVENT_TYPES, ...routingCases.map((c) => c.type)])];

  it('gets the same answer from every path, for every type', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 12 }),
        (patterns) => {
          const expanded = new Set<string>(expandPatterns(patterns));
          for (const type of types) {
            const expected = matchesAny(patterns, type);
            expect(snsTakes(patterns, type), `${type} via SNS for ${patterns.join(' ')}`).toBe(
              expected,
            );
            if (catalog.has(type)) {
              expect(expanded.has(type), `${type} in expansion of ${patterns.join(' ')}`).toBe(
                expected,
              );
              expect(hookTakes(patterns, type), `${type} via hook for ${patterns.join(' ')}`).toBe(
                expected,
              );
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
