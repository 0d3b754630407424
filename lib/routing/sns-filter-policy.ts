/**
 * The SNS subscription filter policy that lets through exactly the events a consumer group's
 * patterns match. Payload-based (the subscription's FilterPolicyScope must be `MessageBody`), on
 * the event's top-level `type`:
 *   exact type `message.new`  -> "message.new"             (exact string match)
 *   prefix     `message.*`    -> {"prefix": "message."}    (string prefix match)
 *   `*`                       -> no policy at all (null)
 *
 * A payload filter sees `type` only while Stream sends plain JSON; with compression on, the message
 * is base64 of gzip and no filter policy can read it (the stack decides what to do then).
 */
import { patternMatches } from '../../lambda/lib/domain/patterns.js';
import { assertValidPattern } from '../../contract/patterns.js';

/** One value of the policy's `type` array. */
export type SnsTypeRule = string | { readonly prefix: string };

/** The policy `snsFilterPolicyFor` writes: one key, `type`. */
export type SnsTypeFilterPolicy = { readonly type: readonly SnsTypeRule[] };

/**
 * SNS limits (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html):
 * the product of the number of values of each key's array must not exceed 150, and a policy must
 * not exceed 256 KB. With a single key the combinations are the values of `type`.
 */
export const SNS_MAX_FILTER_COMBINATIONS = 150;
export const SNS_MAX_FILTER_POLICY_BYTES = 256 * 1024;

export class SnsFilterPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnsFilterPolicyError';
  }
}

/**
 * The filter policy for `patterns`, or null when one of them is `*` (the subscription then takes
 * every message). Patterns another pattern already covers are left out (`message.new` under
 * `message.*`, `feeds.activity.*` under `feeds.*`), which keeps the policy within SNS's limits
 * for longer; what the policy lets through is unchanged.
 *
 * Throws `InvalidPattern` on a malformed pattern, and `SnsFilterPolicyError` when the patterns are
 * empty or need more values than SNS allows.
 */
export function snsFilterPolicyFor(patterns: readonly string[]): SnsTypeFilterPolicy | null {
  patterns.forEach(assertValidPattern);
  if (patterns.length === 0) {
    throw new SnsFilterPolicyError('a consumer group needs at least one event pattern');
  }
  if (patterns.includes('*')) return null;

  const unique = [...new Set(patterns)];
  const needed = unique.filter(
    (pattern) => !unique.some((other) => other !== pattern && coveredBy(pattern, other)),
  );
  const exact = needed.filter((pattern) => !isPrefix(pattern)).sort();
  const prefixes = needed.filter(isPrefix).sort();
  const policy: SnsTypeFilterPolicy = {
    type: [...exact, ...prefixes.map((pattern) => ({ prefix: pattern.slice(0, -1) }))],
  };

  if (policy.type.length > SNS_MAX_FILTER_COMBINATIONS) {
    throw new SnsFilterPolicyError(
      `these event patterns need ${policy.type.length} values in an SNS filter policy, more than ` +
        `the ${SNS_MAX_FILTER_COMBINATIONS} SNS allows: cover related types with a prefix ` +
        `("message.*") or use "*"`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(policy), 'utf8');
  if (bytes > SNS_MAX_FILTER_POLICY_BYTES) {
    throw new SnsFilterPolicyError(
      `the SNS filter policy for these event patterns is ${bytes} bytes, more than the ` +
        `${SNS_MAX_FILTER_POLICY_BYTES} SNS allows`,
    );
  }
  return policy;
}

function isPrefix(pattern: string): boolean {
  return pattern.endsWith('.*');
}

/** Whether every type `pattern` matches is also matched by the prefix pattern `other`. */
function coveredBy(pattern: string, other: string): boolean {
  if (!isPrefix(other)) return false;
  // A prefix is covered by a shorter prefix its own prefix starts with; an exact type by any
  // prefix that matches it.
  return isPrefix(pattern)
    ? pattern.slice(0, -1).startsWith(other.slice(0, -1))
    : patternMatches(other, pattern);
}
