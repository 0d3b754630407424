import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../contract/env/parse.js';
import { InvalidPattern } from '../../../contract/patterns.js';
import {
  VERIFIER_ENV_NAMES,
  readVerifierEnv,
  verifierEnv,
  type VerifierSettings,
} from '../../../contract/env/verifier.js';
import {
  PROPERTY,
  bucket,
  groupName,
  nonEmptyText,
  patterns,
  positiveInteger,
  sourceCidrs,
} from './settings-arbitraries.js';

const routes = fc.uniqueArray(
  fc.record({ group: groupName, patterns, queueUrl: nonEmptyText, fifo: fc.boolean() }),
  { minLength: 1, maxLength: 4, selector: (route) => route.group },
);

const settings: fc.Arbitrary<VerifierSettings> = fc.record({
  routes,
  secretId: nonEmptyText,
  maxBodyBytes: positiveInteger,
  maxInflatedBytes: positiveInteger,
  maxQueueMessageBytes: positiveInteger,
  largeEventBucket: bucket,
  allowedSourceCidrs: sourceCidrs,
  maxEventAgeSeconds: fc.option(positiveInteger, { nil: null }),
});

const EXAMPLE: VerifierSettings = {
  routes: [
    { group: 'all', patterns: ['*'], queueUrl: 'https://sqs.example/all', fifo: false },
    { group: 'calls', patterns: ['call.*'], queueUrl: 'https://sqs.example/c.fifo', fifo: true },
  ],
  secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-AbCdEf',
  maxBodyBytes: 4_669_440,
  maxInflatedBytes: 16_777_216,
  maxQueueMessageBytes: 1_048_576,
  largeEventBucket: 'large-events',
  allowedSourceCidrs: ['203.0.113.0/24', '2001:db8::/32'],
  maxEventAgeSeconds: 300,
};

describe('the verifier environment', () => {
  it('reads back every setting it writes', () => {
    fc.assert(
      fc.property(settings, (written) => {
        expect(readVerifierEnv(verifierEnv(written))).toEqual(written);
      }),
      PROPERTY,
    );
  });

  it('writes only the names it declares, and its optional settings only when set', () => {
    const full = verifierEnv(EXAMPLE);
    const least = verifierEnv({
      ...EXAMPLE,
      largeEventBucket: null,
      allowedSourceCidrs: null,
      maxEventAgeSeconds: null,
    });

    expect(Object.keys(full).sort()).toEqual([...VERIFIER_ENV_NAMES].sort());
    expect(Object.keys(least)).not.toContain('LARGE_EVENT_BUCKET');
    expect(Object.keys(least)).not.toContain('ALLOWED_SOURCE_CIDRS');
    expect(Object.keys(least)).not.toContain('MAX_EVENT_AGE_SECONDS');
  });

  it('names the service for Powertools and logs at INFO', () => {
    expect(verifierEnv(EXAMPLE)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'stream-events-verifier',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('encodes the routing table with the JSON encoder it is given (CDK tokens in queue URLs)', () => {
    const seen: unknown[] = [];
    const env = verifierEnv(EXAMPLE, {
      toJson: (value) => {
        seen.push(value);
        return '<resolved at deploy>';
      },
    });

    expect(env.ROUTES).toBe('<resolved at deploy>');
    expect(seen).toEqual([EXAMPLE.routes]);
  });

  it('refuses a missing routing table or secret id, naming the variable', () => {
    const noRoutes: Record<string, string> = verifierEnv(EXAMPLE);
    delete noRoutes.ROUTES;
    const noSecret: Record<string, string> = verifierEnv(EXAMPLE);
    delete noSecret.STREAM_SECRET_ID;

    expect(() => readVerifierEnv(noRoutes)).toThrow(
      new ConfigError('environment variable ROUTES is not set'),
    );
    expect(() => readVerifierEnv(noSecret)).toThrow(
      new ConfigError('environment variable STREAM_SECRET_ID is not set'),
    );
  });

  it.each([
    ['[{', 'ROUTES is not JSON'],
    ['{}', 'ROUTES must be a non-empty JSON array of consumer groups'],
    [
      JSON.stringify([{ group: 'all', patterns: ['*'], queueUrl: '', fifo: false }]),
      'ROUTES[0] must be {group, patterns: string[], queueUrl, fifo: boolean}',
    ],
  ])('refuses ROUTES=%s with a ConfigError', (raw, message) => {
    expect(() => readVerifierEnv({ ...verifierEnv(EXAMPLE), ROUTES: raw })).toThrow(
      new ConfigError(message),
    );
  });

  it('refuses ALLOWED_SOURCE_CIDRS that is set but lists nothing', () => {
    expect(() => readVerifierEnv({ ...verifierEnv(EXAMPLE), ALLOWED_SOURCE_CIDRS: ' , ' })).toThrow(
      new ConfigError('environment variable ALLOWED_SOURCE_CIDRS: the list holds no CIDR'),
    );
  });
});

/** The routing table as the verifier reads it from its environment. */
const parseRoutes = (json: string) =>
  readVerifierEnv({ STREAM_SECRET_ID: 'arn', ROUTES: json }).routes;

const route = (overrides: Record<string, unknown> = {}) => ({
  group: 'messages',
  patterns: ['message.*'],
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/messages',
  fifo: false,
  ...overrides,
});

describe('parseRoutes (the verifier’s ROUTES)', () => {
  it('reads each group with its patterns, queue and FIFO flag, in order', () => {
    // Arrange
    const table = [route(), route({ group: 'calls', patterns: ['call.*'], fifo: true })];

    // Act
    const routes = parseRoutes(JSON.stringify(table));

    // Assert
    expect(routes).toEqual(table);
  });

  it('drops fields it does not know', () => {
    expect(parseRoutes(JSON.stringify([route({ extra: 1 })]))).toEqual([route()]);
  });

  it.each([
    ['an empty queueUrl', [route({ queueUrl: '' })], 'ROUTES[0]'],
    ['fifo as a string', [route({ fifo: 'true' })], 'ROUTES[0]'],
    ['no patterns', [route({ patterns: [] })], 'ROUTES[0]'],
    ['a group named twice', [route(), route()], 'ROUTES names group "messages" twice'],
    ['a bad group name', [route({ group: 'Messages' })], 'consumer group name "Messages"'],
    ['a pattern that is not a string', [route({ patterns: ['*', 5] })], 'ROUTES[0]'],
    ['patterns that are not a list', [route({ patterns: 'message.*' })], 'ROUTES[0]'],
    ['no group', [route({ group: undefined })], 'ROUTES[0]'],
    ['a numeric queueUrl', [route({ queueUrl: 7 })], 'ROUTES[0]'],
    ['a null entry', [null], 'ROUTES[0]'],
    ['a string entry', ['messages'], 'ROUTES[0]'],
    ['a bad second entry', [route(), route({ group: 'calls', fifo: 1 })], 'ROUTES[1]'],
    ['not JSON', '[{', 'ROUTES is not JSON'],
    ['an empty array', [], 'ROUTES must be a non-empty JSON array of consumer groups'],
    ['an object', {}, 'ROUTES must be a non-empty JSON array of consumer groups'],
  ])('refuses %s', (_what, table, message) => {
    const json = typeof table === 'string' ? table : JSON.stringify(table);
    expect(() => parseRoutes(json)).toThrow(ConfigError);
    expect(() => parseRoutes(json)).toThrow(message);
  });

  it('spells out the shape it expects', () => {
    expect(() => parseRoutes(JSON.stringify([route({ fifo: 'no' })]))).toThrow(
      'ROUTES[0] must be {group, patterns: string[], queueUrl, fifo: boolean}',
    );
  });

  it('refuses a malformed pattern', () => {
    expect(() => parseRoutes(JSON.stringify([route({ patterns: ['message*'] })]))).toThrow(
      InvalidPattern,
    );
  });
});
