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
  if (patterns.includes(type)) return type;
  // What else matches is `*` or a prefix of `type`: nested, so the longest is the most specific,
  // and patterns of one length are the same pattern.
  const matching = patterns.filter((pattern) => patternMatches(pattern, type));
  const longest = Math.max(...matching.map((pattern) => pattern.length));
  return matching.find((pattern) => pattern.length === longest) ?? null;
}
