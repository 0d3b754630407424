/** The alarm keys of the CDK context: `alarmEmail` and `alarms`. */
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';

function alarmsOf(context: Record<string, unknown>) {
  return appConfigFromContext((key) => context[key]).props.alarms;
}

describe('appConfigFromContext: alarms', () => {
  it('leaves the alarms to their defaults when neither key is set', () => {
    expect(alarmsOf({})).toBeUndefined();
    expect(alarmsOf({ alarmEmail: '', alarms: '' })).toBeUndefined();
  });

  it('reads alarmEmail alone as the e-mail subscription', () => {
    expect(alarmsOf({ alarmEmail: ' ops@example.com ' })).toEqual({ email: 'ops@example.com' });
  });

  it('reads the thresholds from cdk.json (JSON) and from -c (text), with the e-mail', () => {
    const fromJson = alarmsOf({
      alarmEmail: 'ops@example.com',
      alarms: { oldestMessageMinutes: 5, badSignatures: 50, serverErrors: 1 },
    });
    const fromText = alarmsOf({ alarms: '{"oldestMessageMinutes":5}' });

    expect(fromJson).toEqual({
      email: 'ops@example.com',
      oldestMessageAge: expect.any(Duration) as unknown,
      badSignatures: 50,
      serverErrors: 1,
    });
    expect(fromJson?.oldestMessageAge?.toSeconds()).toBe(300);
    expect(fromText?.oldestMessageAge?.toMinutes()).toBe(5);
    expect(fromText?.badSignatures).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an e-mail that is not a string', { alarmEmail: 42 }, /context "alarmEmail" must be a string/],
    ['alarms that are not JSON', { alarms: '{' }, /context "alarms" is not valid JSON/],
    ['alarms that are not an object', { alarms: [20] }, /context "alarms" must be a JSON object/],
    [
      'an unknown alarms key',
      { alarms: { dlq: 1 } },
      /context "alarms": unknown key\(s\) "dlq"; allowed: oldestMessageMinutes, badSignatures, serverErrors/,
    ],
    [
      'a threshold that is not a positive whole number',
      { alarms: { badSignatures: 0 } },
      /context "alarms".badSignatures must be a positive whole number, got 0/,
    ],
    [
      'a threshold given as text',
      { alarms: { serverErrors: '5' } },
      /context "alarms".serverErrors must be a positive whole number, got "5"/,
    ],
  ])('rejects %s', (_name, context, message) => {
    expect(() => alarmsOf(context)).toThrow(message);
  });
});
