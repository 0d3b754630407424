import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { StreamSecret } from '../../lib/stream-secret.js';

const COMPLETE_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stream/api-AbC123';

function newStack(): Stack {
  return new Stack(new App(), 'Test');
}

describe('StreamSecret', () => {
  it('creates a secret holding {} when none is given', () => {
    const stack = newStack();

    new StreamSecret(stack, 'StreamSecret');

    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: '{}',
    });
  });

  it('imports a complete ARN as is', () => {
    const stack = newStack();

    const { secret } = new StreamSecret(stack, 'StreamSecret', { existingSecret: COMPLETE_ARN });

    expect(secret.secretArn).toBe(COMPLETE_ARN);
    expect(stack.node.findAll().some((construct) => construct instanceof CfnSecret)).toBe(false);
  });

  it('imports a name as that secret in the stack region and account', () => {
    const stack = newStack();

    const { secret } = new StreamSecret(stack, 'StreamSecret', { existingSecret: 'stream/api' });

    expect(secret.secretName).toBe('stream/api');
    expect(stack.resolve(secret.secretArn)).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':secretsmanager:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':secret:stream/api',
        ],
      ],
    });
  });

  it('rejects an ARN without the 6-character suffix, saying what to pass instead', () => {
    expect(
      () =>
        new StreamSecret(newStack(), 'StreamSecret', {
          existingSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stream/api',
        }),
    ).toThrow(/not a complete secret ARN .* pass the complete ARN or the secret name/);
  });

  it('rejects a blank name', () => {
    expect(() => new StreamSecret(newStack(), 'StreamSecret', { existingSecret: '  ' })).toThrow(
      /existingSecret is empty/,
    );
  });
});
