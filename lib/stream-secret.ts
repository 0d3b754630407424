import { SecretValue } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeNagFindings } from './nag-suppressions.js';

export interface StreamSecretProps {
  /**
   * An existing secret holding the Stream API secret(s): its name, or its complete ARN (with the
   * 6-character suffix Secrets Manager appends).
   * @default - a new secret whose value is `{}` (not configured yet)
   */
  readonly existingSecret?: string;
}

/**
 * The Secrets Manager secret that holds the Stream app's API secret(s), which sign webhooks.
 *
 * Its value is a JSON object keyed by Stream API key:
 * `{"<stream api key>": "<api secret>"}`, or, while rotating,
 * `{"<api key>": ["<current secret>", "<previous secret>"]}`.
 * A new secret starts as `{}`, which the verifier treats as "not configured yet". The value is
 * set outside CloudFormation, so it never appears in the template.
 */
export class StreamSecret extends Construct {
  /** The secret, imported or created. */
  public readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: StreamSecretProps = {}) {
    super(scope, id);
    const existing = props.existingSecret?.trim();

    if (existing === undefined) {
      // `{}` is an empty map, not a secret: safe to have in the template.
      this.secret = new Secret(this, 'Secret', {
        description:
          'Stream API secrets by API key: {"<api key>": "<secret>" | ["<current>", "<previous>"]}',
        secretStringValue: SecretValue.unsafePlainText('{}'),
      });
      acknowledgeNagFindings(this.secret, {
        id: 'AwsSolutions-SMG4',
        reason:
          'holds Stream API secrets, which only Stream can issue: Secrets Manager cannot rotate ' +
          'them; rotate in the Stream dashboard and store current and previous ([current, previous])',
      });
    } else if (existing === '') {
      throw new Error(`${id}: existingSecret is empty; pass a secret name or ARN, or omit it`);
    } else if (existing.startsWith('arn:')) {
      if (!/:secret:.+-[A-Za-z0-9]{6}$/.test(existing)) {
        throw new Error(
          `${id}: existingSecret "${existing}" is not a complete secret ARN (it needs the ` +
            '6-character suffix Secrets Manager appends); pass the complete ARN or the secret name',
        );
      }
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', existing);
    } else {
      this.secret = Secret.fromSecretNameV2(this, 'Secret', existing);
    }
  }
}
