import { describe, expect, it } from 'vitest';
import {
  InsecureStreamBaseUrl,
  streamBaseUrl,
} from '../../../../lambda/lib/adapters/stream-server-api.js';

describe('streamBaseUrl', () => {
  it.each([
    ['https://chat.stream-io-api.com/', 'https://chat.stream-io-api.com'],
    [
      'https://chat-edge-frankfurt-ce1.stream-io-api.com',
      'https://chat-edge-frankfurt-ce1.stream-io-api.com',
    ],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.255.0.9/', 'http://127.255.0.9'],
    ['http://localhost:3000//', 'http://localhost:3000'],
    ['http://LOCALHOST', 'http://LOCALHOST'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('takes %s', (value, expected) => {
    expect(streamBaseUrl(value)).toBe(expected);
  });

  it.each([
    'http://chat.stream-io-api.com',
    'http://10.0.0.1',
    'http://128.0.0.1',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'http://[::2]',
    'http://[::ffff:127.0.0.1]',
  ])('refuses %s: the server token would cross the network in clear', (value) => {
    expect(() => streamBaseUrl(value)).toThrow(InsecureStreamBaseUrl);
    expect(() => streamBaseUrl(value)).toThrow(
      `${value} is not https: the server token (signed with the API secret) would travel in clear; use https (http only for loopback: localhost, 127.0.0.0/8, [::1])`,
    );
  });

  it.each(['nope', 'ftp://chat.stream-io-api.com', 'file:///etc/passwd'])(
    'refuses %s: not an http(s) URL',
    (value) => {
      expect(() => streamBaseUrl(value)).toThrow(InsecureStreamBaseUrl);
      expect(() => streamBaseUrl(value)).toThrow(/is not an? (http\(s\) )?URL/);
    },
  );
});
