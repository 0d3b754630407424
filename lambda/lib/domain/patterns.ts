/**
 * What event patterns match: an exact type (`message.new`), every type under a dotted prefix
 * (`message.*`, `feeds.activity.*`), or everything (`*`). Routing here and in later paths
 * (fan-out, SNS filter policies, hook event lists) must read them the same way, so this is the
 * only place that does; which strings are patterns is contract/patterns.ts's to say.
 */
export function patternMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/**
 * The pattern that takes `type`: the exact type first, then the longest matching prefix, then
 * `*`. Null when none does.
 */
export function mostSpecificPattern(type: string, patterns: readonly string[]): string | null {
  let best: string | null = null;
  for (const pattern of patterns) {
    if (pattern === type) return pattern;
    if (!patternMatches(pattern, type)) continue;
    // Every pattern that matches here is `*` or a prefix of `type`, so the longer one is the more
    // specific, and two of one length are the same pattern.
    // Stryker disable next-line EqualityOperator: equivalent, equal lengths mean equal patterns
    if (best === null || pattern.length > best.length) best = pattern;
  }
  return best;
}
