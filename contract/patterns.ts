/**
 * Which strings are event patterns: an exact type (`message.new`), every type under a dotted
 * prefix (`message.*`, `feeds.activity.*`), or everything (`*`). The stack checks a group's
 * patterns at synth, the functions at cold start, the dev pipeline and the CLI before they use
 * them: all with this one check. What a pattern matches is the domain's
 * (lambda/lib/domain/patterns.ts).
 */
export class InvalidPattern extends Error {
  constructor(pattern: string) {
    super(
      `"${pattern}" is not an event pattern: use an exact type ("message.new"), a prefix ("message.*") or "*"`,
    );
    this.name = 'InvalidPattern';
  }
}

export function assertValidPattern(pattern: string): void {
  // Custom events may carry any type string, so only `*` placement and white space are
  // restricted: `*`, a prefix (`message.*`), or an exact type.
  if (pattern !== '*' && !/^[^*\s]+\.\*$/.test(pattern) && !/^[^*\s]+$/.test(pattern)) {
    throw new InvalidPattern(pattern);
  }
}
