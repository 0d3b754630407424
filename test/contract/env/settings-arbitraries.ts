/**
 * Representative settings for the env contracts' round trips: what the constructs can write
 * (checked at synth), so every value the reader gets back is one it accepts.
 */
import fc from 'fast-check';

/** Fixed so a failing property replays the same way; fast-check prints the counterexample. */
export const PROPERTY = { seed: 20_251_204, numRuns: 200 } as const;

export const positiveInteger = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

/** Names, ARNs, URLs and CloudFormation tokens alike: any text but the empty string. */
export const nonEmptyText = fc.string({ minLength: 1, maxLength: 80 });

export const groupName = fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/);

export const eventPattern = fc.oneof(
  fc.constant('*'),
  fc.stringMatching(/^[a-z][a-z_]{0,12}(\.[a-z_]{1,12}){0,2}$/),
  fc.stringMatching(/^[a-z][a-z_]{0,12}(\.[a-z_]{1,12}){0,1}\.\*$/),
);

export const patterns = fc.array(eventPattern, { minLength: 1, maxLength: 4 });

/** Addresses and CIDRs as the stack writes them: normalized, never holding a comma. */
export const cidr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, bits]) => `${ip}/${bits}`),
);

export const sourceCidrs = fc.option(fc.array(cidr, { minLength: 1, maxLength: 5 }), {
  nil: null,
});

export const bucket = fc.option(nonEmptyText, { nil: null });
