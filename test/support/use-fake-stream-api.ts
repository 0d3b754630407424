/**
 * The setup every command test against the fake Stream API shares: one fake server per file,
 * credentials it accepts, and an outputs file in a temporary folder, all torn down after the file.
 * Kept apart from fake-stream-api.ts so the fake itself stays free of vitest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Command } from '../../cli/command.js';
import { fakeIO, type FakeIO } from './fake-io.js';
import {
  FAKE_API_KEY,
  FAKE_API_SECRET,
  FakeStreamApi,
  stackOutputs,
  writeOutputsFile,
} from './fake-stream-api.js';

export interface FakeStreamApiOptions {
  /** Prefix of the temporary folder, to tell test files' leftovers apart. */
  readonly tmpPrefix: string;
  /** The app's hooks (JSON texts) before each test. @default [] */
  readonly hooks?: readonly string[];
  /** The outputs of the file `outputsFile()` names. @default stackOutputs() */
  readonly outputs?: Record<string, string>;
}

export interface RunOptions {
  /** The outputs file to pass. @default outputsFile() */
  readonly file?: string;
  readonly interactive?: boolean;
  readonly answer?: boolean;
  /** An IO of the test's own (other env, prompts); replaces `interactive` and `answer`. */
  readonly io?: FakeIO;
}

export interface CommandRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface FakeStreamApiFixture {
  readonly api: FakeStreamApi;
  /** Credentials the fake accepts. */
  readonly env: Readonly<Record<string, string>>;
  /** The temporary folder; set once the file's tests start. */
  dir(): string;
  /** The outputs file written from `outputs`; set once the file's tests start. */
  outputsFile(): string;
  /** Runs `command` with `--outputs-file` and `--base-url` first, so a repeat in `args` wins. */
  run(command: Command, args: readonly string[], options?: RunOptions): Promise<CommandRun>;
}

/** Registers the file's vitest hooks: start and stop the fake, reset it before each test. */
export function useFakeStreamApi(options: FakeStreamApiOptions): FakeStreamApiFixture {
  const api = new FakeStreamApi();
  const env = { STREAM_API_KEY: FAKE_API_KEY, STREAM_API_SECRET: FAKE_API_SECRET };
  let dir: string | undefined;
  let outputsFile: string | undefined;

  beforeAll(async () => {
    await api.start();
    dir = await mkdtemp(join(tmpdir(), options.tmpPrefix));
    outputsFile = await writeOutputsFile(dir, options.outputs ?? stackOutputs());
  });
  afterAll(async () => {
    await api.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => api.reset(options.hooks ?? []));

  const ready = (value: string | undefined, name: string): string => {
    if (value === undefined) throw new Error(`${name} is set in beforeAll: call it from a test`);
    return value;
  };
  const fixture: FakeStreamApiFixture = {
    api,
    env,
    dir: () => ready(dir, 'dir()'),
    outputsFile: () => ready(outputsFile, 'outputsFile()'),
    async run(command, args, runOptions = {}) {
      const io =
        runOptions.io ??
        fakeIO({ env, interactive: runOptions.interactive, answer: runOptions.answer });
      const file = runOptions.file ?? fixture.outputsFile();
      const code = await command.run(['--outputs-file', file, '--base-url', api.url, ...args], io);
      return { code, out: io.out(), err: io.err() };
    },
  };
  return fixture;
}
