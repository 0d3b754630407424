import { describe, expect, it } from 'vitest';
import {
  CredentialStore,
  CredentialsInvalid,
  parseCredentials,
} from '../../../../lambda/lib/domain/api-key-secrets.js';
import { errorOf } from '../../support/error-of.js';

const SECRET = 'cred-test-secret-value';

/** A `load` whose answers the test sets, and a clock the test moves. */
function controlledStore(initial: string, refreshMs?: number, retryMs?: number) {
  const state = { secret: initial, fail: false, loads: 0, now: 0 };
  const store = new CredentialStore({
    load: async () => {
      state.loads += 1;
      if (state.fail) throw new Error('AccessDeniedException');
      return state.secret;
    },
    now: () => state.now,
    ...(refreshMs === undefined ? {} : { refreshMs }),
    ...(retryMs === undefined ? {} : { retryMs }),
  });
  return { state, store };
}

const OLD = JSON.stringify({ key1: 'old' });
const ROTATED = JSON.stringify({ key1: ['new', 'old'] });

/** Loaded at t=0 with the old secret, then one refresh at t=60 s that Secrets Manager fails. */
async function afterFailedRefresh(retryMs?: number) {
  const controlled = controlledStore(OLD, undefined, retryMs);
  const { state, store } = controlled;
  await store.current();
  state.fail = true;
  state.now = 60_000;
  await expect(store.refresh()).rejects.toThrow('AccessDeniedException');
  state.fail = false;
  state.secret = ROTATED;
  return controlled;
}

describe('parseCredentials', () => {
  it('reads one secret per key', () => {
    expect(parseCredentials(JSON.stringify({ key1: SECRET }))).toEqual(
      new Map([['key1', [SECRET]]]),
    );
  });

  it('reads several active secrets per key, in order', () => {
    expect(parseCredentials(JSON.stringify({ key1: ['new', 'old'] }))).toEqual(
      new Map([['key1', ['new', 'old']]]),
    );
  });

  it('reads several keys', () => {
    // Act
    const credentials = parseCredentials(JSON.stringify({ key1: 'a', key2: ['b', 'c'] }));

    // Assert
    expect([...credentials.keys()]).toEqual(['key1', 'key2']);
    expect(credentials.get('key2')).toEqual(['b', 'c']);
  });

  it('reads an empty object as no keys (the secret exists but is not filled in yet)', () => {
    expect(parseCredentials('{}').size).toBe(0);
  });

  const NOT_JSON = 'the secret is not JSON';
  const NOT_AN_OBJECT = 'the secret must be a JSON object of API key to secret(s)';
  const BAD_ENTRY = 'each API key must map to a non-empty secret string or array of secret strings';

  it.each([
    ['not JSON', `${SECRET}`, NOT_JSON],
    ['a JSON string', JSON.stringify(SECRET), NOT_AN_OBJECT],
    ['a JSON array', JSON.stringify([SECRET]), NOT_AN_OBJECT],
    ['JSON null', 'null', NOT_AN_OBJECT],
    ['a number secret', JSON.stringify({ key1: 12345 }), BAD_ENTRY],
    ['an empty secret', JSON.stringify({ key1: '' }), BAD_ENTRY],
    ['an empty secret list', JSON.stringify({ key1: [] }), BAD_ENTRY],
    ['a list with an empty secret', JSON.stringify({ key1: [SECRET, ''] }), BAD_ENTRY],
    ['a list with a non-string', JSON.stringify({ key1: [SECRET, 7] }), BAD_ENTRY],
    ['a nested object', JSON.stringify({ key1: { secret: SECRET } }), BAD_ENTRY],
    ['an empty key', JSON.stringify({ '': SECRET }), BAD_ENTRY],
  ])(
    'refuses %s with CredentialsInvalid, saying what shape it needs',
    (_shape, secret, message) => {
      // Act
      const error = errorOf(() => parseCredentials(secret));

      // Assert: the operator reads this in the rejection's log line.
      expect(error).toBeInstanceOf(CredentialsInvalid);
      expect(error).toMatchObject({ name: 'CredentialsInvalid', message });
    },
  );

  it.each([
    ['not JSON', `{"key1": "${SECRET}"`],
    ['a number secret alongside', JSON.stringify({ key1: SECRET, key2: 5 })],
    ['a list with an empty secret', JSON.stringify({ key1: [SECRET, ''] })],
    ['an empty key', JSON.stringify({ '': SECRET })],
    ['a JSON string', JSON.stringify(SECRET)],
  ])('never quotes the secret value in the error for %s', (_shape, secretString) => {
    // Act
    const error = errorOf(() => parseCredentials(secretString)) as Error;

    // Assert
    expect(error).toBeInstanceOf(CredentialsInvalid);
    expect(error.message).not.toContain(SECRET);
    expect(String(error.stack)).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
  });
});

describe('CredentialStore', () => {
  it('loads once and serves the cached credentials after', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }));

    // Act
    const first = await store.current();
    const second = await store.current();

    // Assert
    expect(first.get('key1')).toEqual([SECRET]);
    expect(second).toBe(first);
    expect(state.loads).toBe(1);
  });

  it('shares one load between concurrent first requests', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }));

    // Act
    await Promise.all([store.current(), store.current(), store.current()]);

    // Assert
    expect(state.loads).toBe(1);
  });

  it('refuses to reload within refreshMs of the last load', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }));
    await store.current();
    state.now = 59_999;

    // Act
    const refreshed = await store.refresh();

    // Assert
    expect(refreshed).toBeNull();
    expect(state.loads).toBe(1);
  });

  it('reloads once refreshMs has passed and serves the new credentials after', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: 'old' }));
    await store.current();
    state.secret = JSON.stringify({ key1: ['new', 'old'] });
    state.now = 60_000;

    // Act
    const refreshed = await store.refresh();
    const current = await store.current();

    // Assert
    expect(refreshed?.get('key1')).toEqual(['new', 'old']);
    expect(current.get('key1')).toEqual(['new', 'old']);
    expect(state.loads).toBe(2);
  });

  it('rate-limits refreshes from the last reload, not from the first load', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }));
    await store.current();
    state.now = 100_000;
    await store.refresh();
    state.now = 130_000;

    // Act
    const refreshed = await store.refresh();

    // Assert
    expect(refreshed).toBeNull();
    expect(state.loads).toBe(2);
  });

  it('honours a custom refreshMs', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }), 1_000);
    await store.current();
    state.now = 1_000;

    // Act
    const refreshed = await store.refresh();

    // Assert
    expect(refreshed).not.toBeNull();
    expect(state.loads).toBe(2);
  });

  it('does not cache a failed load: the next request tries again', async () => {
    // Arrange
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }));
    state.fail = true;
    await expect(store.current()).rejects.toThrow('AccessDeniedException');
    state.fail = false;

    // Act
    const credentials = await store.current();

    // Assert
    expect(credentials.get('key1')).toEqual([SECRET]);
    expect(state.loads).toBe(2);
  });

  it('does not cache a secret that fails to parse', async () => {
    // Arrange
    const { state, store } = controlledStore('not json');
    await expect(store.current()).rejects.toBeInstanceOf(CredentialsInvalid);
    state.secret = JSON.stringify({ key1: SECRET });

    // Act
    const credentials = await store.current();

    // Assert
    expect(credentials.get('key1')).toEqual([SECRET]);
  });

  it('keeps the good cached credentials when a refresh fails', async () => {
    // Arrange: a forged request triggers a refresh while Secrets Manager has a blip.
    const { state, store } = controlledStore(JSON.stringify({ key1: SECRET }));
    await store.current();
    state.fail = true;
    state.now = 60_000;
    await expect(store.refresh()).rejects.toThrow('AccessDeniedException');

    // Act: the next genuine request, Secrets Manager still down.
    const credentials = await store.current();

    // Assert: it is served from the cache instead of failing with the store.
    expect(credentials.get('key1')).toEqual([SECRET]);
    expect(state.loads).toBe(2);
  });

  it('does not start the one-minute wait on a failed refresh: the next one after retryMs reloads', async () => {
    // Arrange: the secret was rotated; the first read of it failed.
    const { state, store } = await afterFailedRefresh(1_000);
    state.now = 61_000;

    // Act
    const refreshed = await store.refresh();

    // Assert
    expect(refreshed?.get('key1')).toEqual(['new', 'old']);
    expect((await store.current()).get('key1')).toEqual(['new', 'old']);
    expect(state.loads).toBe(3);
  });

  it('rejects a refresh within retryMs of a failed one with that failure, without reading again', async () => {
    // Arrange
    const { state, store } = await afterFailedRefresh(1_000);
    state.now = 60_999;

    // Act
    const refreshing = store.refresh();

    // Assert: the caller answers it as "secret unavailable" (retryable), never as a mismatch.
    await expect(refreshing).rejects.toThrow('AccessDeniedException');
    expect(state.loads).toBe(2);
  });

  it('waits 1 s after a failed refresh by default', async () => {
    // Arrange
    const { state, store } = await afterFailedRefresh();

    // Act
    state.now = 60_999;
    const tooSoon = store.refresh();
    await expect(tooSoon).rejects.toThrow('AccessDeniedException');
    state.now = 61_000;
    const refreshed = await store.refresh();

    // Assert
    expect(refreshed?.get('key1')).toEqual(['new', 'old']);
    expect(state.loads).toBe(3);
  });

  it('rejects a refresh within retryMs of a failed first load too', async () => {
    // Arrange: the cold start could not read the secret.
    const { state, store } = controlledStore(OLD, undefined, 1_000);
    state.fail = true;
    await expect(store.current()).rejects.toThrow('AccessDeniedException');
    state.fail = false;
    state.now = 500;

    // Act
    const refreshing = store.refresh();

    // Assert
    await expect(refreshing).rejects.toThrow('AccessDeniedException');
    expect(state.loads).toBe(1);
  });

  it('keeps the one-minute wait from the last successful load after a failure has been retried', async () => {
    // Arrange: fail at 60 s, succeed at 61 s.
    const { state, store } = await afterFailedRefresh(1_000);
    state.now = 61_000;
    await store.refresh();
    state.now = 120_999;

    // Act
    const refreshed = await store.refresh();

    // Assert
    expect(refreshed).toBeNull();
    expect(state.loads).toBe(3);
  });

  it('shares one reload between concurrent refreshes, and each gets its credentials', async () => {
    // Arrange
    const { state, store } = controlledStore(OLD);
    await store.current();
    state.secret = ROTATED;
    state.now = 60_000;

    // Act
    const [first, second] = await Promise.all([store.refresh(), store.refresh()]);

    // Assert
    expect(first?.get('key1')).toEqual(['new', 'old']);
    expect(second).toBe(first);
    expect(state.loads).toBe(2);
  });

  it('starts the one-minute wait when a reload succeeds, not before it is asked for', async () => {
    // Arrange: loaded at 0, reloaded at 60 s.
    const { state, store } = controlledStore(OLD);
    await store.current();
    state.now = 60_000;
    await store.refresh();
    state.now = 119_999;

    // Act / Assert
    expect(await store.refresh()).toBeNull();
    state.now = 120_000;
    expect(await store.refresh()).not.toBeNull();
    expect(state.loads).toBe(3);
  });
});
