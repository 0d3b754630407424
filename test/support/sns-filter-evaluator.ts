/**
 * A test stand-in for SNS: evaluates a payload-based (FilterPolicyScope `MessageBody`) filter
 * policy against a published message body, for the subset of the policy language
 * lib/routing/sns-filter-policy.ts writes, with the semantics AWS documents:
 * - no policy: every message is delivered;
 * - the body must be a JSON object; every policy key must be present in it, and at least one of
 *   the key's values must match the body's value (AND across keys, OR within a key);
 * - a string value matches the identical string, case-sensitively; `{"prefix": p}` matches a
 *   string that starts with p; neither matches a number, boolean, null or object;
 * - when the body's value is an array, the key matches if any element does.
 * Anything outside that subset (nested keys, numeric, `anything-but`, `exists`, ...) throws, so a
 * test can never pass by evaluating a policy this stand-in does not understand.
 *
 * It also enforces the limits SNS checks when a subscription's policy is set (at most 5 keys, at
 * most 150 value combinations, no empty value list), so the generated policies are held to them.
 * https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
 * https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
 */

export class UnsupportedFilterPolicy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFilterPolicy';
  }
}

type Rule = string | { readonly prefix: string };

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

/** Whether SNS would deliver `messageBody` to a subscription with this payload-based policy. */
export function snsDelivers(
  policy: Readonly<Record<string, unknown>> | null,
  messageBody: string,
): boolean {
  if (policy === null) return true;
  const rulesByKey = checkedPolicy(policy);

  let body: unknown;
  try {
    body = JSON.parse(messageBody);
  } catch {
    return false; // a payload filter needs a JSON object body; anything else is not delivered
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;

  return rulesByKey.every(([key, rules]) => {
    if (!Object.hasOwn(body, key)) return false;
    const value = (body as Record<string, unknown>)[key];
    const values = Array.isArray(value) ? value : [value];
    return values.some((item) => rules.some((rule) => ruleMatches(rule, item)));
  });
}

/** The number of value combinations SNS counts for a policy (product of the array lengths). */
export function filterPolicyCombinations(policy: Readonly<Record<string, unknown>>): number {
  return checkedPolicy(policy).reduce((product, [, rules]) => product * rules.length, 1);
}

function ruleMatches(rule: Rule, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return typeof rule === 'string' ? value === rule : value.startsWith(rule.prefix);
}

function checkedPolicy(policy: Readonly<Record<string, unknown>>): [string, Rule[]][] {
  const entries = Object.entries(policy);
  if (entries.length === 0) throw new UnsupportedFilterPolicy('an empty filter policy');
  if (entries.length > MAX_KEYS) {
    throw new UnsupportedFilterPolicy(`SNS allows at most ${MAX_KEYS} keys, got ${entries.length}`);
  }
  const checked = entries.map(([key, rules]): [string, Rule[]] => {
    if (!Array.isArray(rules)) {
      throw new UnsupportedFilterPolicy(`"${key}": nested keys are outside the supported subset`);
    }
    if (rules.length === 0) throw new UnsupportedFilterPolicy(`"${key}": an empty value list`);
    return [key, rules.map((rule) => checkedRule(key, rule))];
  });
  const combinations = checked.reduce((product, [, rules]) => product * rules.length, 1);
  if (combinations > MAX_COMBINATIONS) {
    throw new UnsupportedFilterPolicy(
      `SNS allows at most ${MAX_COMBINATIONS} value combinations, got ${combinations}`,
    );
  }
  return checked;
}

function checkedRule(key: string, rule: unknown): Rule {
  if (typeof rule === 'string') return rule;
  if (
    rule !== null &&
    typeof rule === 'object' &&
    Object.keys(rule).length === 1 &&
    typeof (rule as { prefix?: unknown }).prefix === 'string' &&
    (rule as { prefix: string }).prefix !== ''
  ) {
    return { prefix: (rule as { prefix: string }).prefix };
  }
  throw new UnsupportedFilterPolicy(
    `"${key}": ${JSON.stringify(rule)} is outside the supported subset (strings and {"prefix": "..."})`,
  );
}
