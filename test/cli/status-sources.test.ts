/** How status and redrive find the queues: options, and the groups' queues in stack outputs. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/command.js';
import { groupsFromOutputs, queueSourceFrom, regionOfQueueUrl } from '../../cli/group-queues.js';

describe('queueSourceFrom', () => {
  it('defaults to the deployed stack, even with SQS_PORT set', () => {
    expect(queueSourceFrom({}, { SQS_PORT: '9999' })).toMatchObject({ kind: 'stack' });
    expect(queueSourceFrom({ 'outputs-file': 'out.json' }, {})).toMatchObject({
      kind: 'file',
      path: 'out.json',
    });
  });

  it('takes the dev server from SQS_PORT with --local, and --sqs-endpoint implies --local', () => {
    expect(queueSourceFrom({ local: true }, { SQS_PORT: '9999' })).toEqual({
      kind: 'local',
      endpoint: 'http://127.0.0.1:9999',
    });
    expect(queueSourceFrom({ 'sqs-endpoint': 'http://127.0.0.1:1234' }, {})).toEqual({
      kind: 'local',
      endpoint: 'http://127.0.0.1:1234',
    });
  });

  it('refuses a stack option with --local, and an endpoint that is not a URL', () => {
    expect(() => queueSourceFrom({ local: true, region: 'eu-west-1' }, {})).toThrow(UsageError);
    expect(() => queueSourceFrom({ 'sqs-endpoint': 'localhost' }, {})).toThrow(
      '--sqs-endpoint localhost is not a URL',
    );
  });
});

describe('groupsFromOutputs', () => {
  const url = (name: string) => `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}`;

  it('pairs each group’s QueueUrl with its DeadLetterQueueUrl, named from the table', () => {
    const outputs = {
      WebhookUrl: 'https://x/webhook',
      QueueUrl: url('q-all'),
      QueueArn: 'arn',
      DeadLetterQueueUrl: url('d-all'),
      ChatMessagesQueueUrl: url('q-chat'),
      ChatMessagesDeadLetterQueueUrl: url('d-chat'),
      Video2QueueUrl: url('q-video'),
      Video2DeadLetterQueueUrl: url('d-video'),
    };

    expect(groupsFromOutputs(outputs, [{ name: 'all' }, { name: 'video-2' }])).toEqual([
      { group: 'all', queueUrl: url('q-all'), deadLetterQueueUrl: url('d-all') },
      // Not in the table (renamed since the deploy?): named back from its prefix.
      { group: 'chat-messages', queueUrl: url('q-chat'), deadLetterQueueUrl: url('d-chat') },
      { group: 'video-2', queueUrl: url('q-video'), deadLetterQueueUrl: url('d-video') },
    ]);
  });

  it('reads the region from a queue URL', () => {
    expect(regionOfQueueUrl(url('q'))).toBe('eu-west-1');
    expect(regionOfQueueUrl('http://127.0.0.1:9324/123456789012/q')).toBeNull();
  });
});
