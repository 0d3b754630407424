/**
 * The `stream-events` dispatcher: the command list, `--help` of every command, exit codes, the
 * process's CommandIO, and the real entry points (tsx, the npx bin launcher, `npm run send`).
 */
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../cli/command.js';
import {
  cliHelp,
  cliVersion,
  COMMANDS,
  entryOf,
  processCommandIO,
  runCli,
} from '../../cli/index.js';
import { recordingIO } from '../support/fake-io.js';

const run = promisify(execFile);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the command list', () => {
  it('registers every command of the CLI, each once', () => {
    expect(COMMANDS.map((command) => command.name)).toEqual([
      'configure',
      'hooks',
      'check',
      'status',
      'redrive',
      'events',
      'send',
    ]);
  });

  it.each(['--help', '-h', 'help'])(
    '%s lists every command with its summary (exit 0)',
    async (flag) => {
      const { io, stdout, stderr } = recordingIO();

      const code = await runCli([flag], io);

      expect(code).toBe(0);
      expect(stderr()).toBe('');
      expect(stdout()).toMatch(/^Usage: stream-events <command> \[options\]\n/);
      for (const command of COMMANDS) {
        expect(stdout()).toMatch(
          new RegExp(`^  ${command.name} +${escape(command.summary)}$`, 'm'),
        );
      }
    },
  );

  it('exits 2 with the list for an unknown command', async () => {
    const { io, stdout, stderr } = recordingIO();

    const code = await runCli(['deploy', '--yes'], io);

    expect(code).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(`stream-events: unknown command "deploy"\n\n${cliHelp()}`);
  });

  it('exits 2 with the list when no command is given', async () => {
    const { io, stderr } = recordingIO();

    expect(await runCli([], io)).toBe(2);
    expect(stderr()).toBe(`stream-events: no command given\n\n${cliHelp()}`);
  });

  it('exits 2 for help on an unknown command', async () => {
    const { io, stderr } = recordingIO();

    expect(await runCli(['help', 'nope'], io)).toBe(2);
    expect(stderr()).toMatch(/^stream-events: unknown command "nope"\n/);
  });

  it('turns a command’s unexpected throw into exit 1', async () => {
    const broken: Command = {
      name: 'broken',
      summary: 'throws',
      help: 'Usage: broken',
      run: async () => {
        throw new Error('bug');
      },
    };
    const { io, stderr } = recordingIO();

    expect(await runCli(['broken'], io, [entryOf(broken)])).toBe(1);
    expect(stderr()).toBe('stream-events broken: unexpected error: Error: bug\n');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each(COMMANDS.map((entry) => [entry.name, entry] as const))('%s', (name, entry) => {
  it('--help prints its usage on stdout and exits 0', async () => {
    const command = await entry.load();
    const { io, stdout, stderr } = recordingIO();

    const code = await runCli([name, '--help'], io);

    expect(code).toBe(0);
    expect(stderr()).toBe('');
    expect(stdout()).toMatch(/^Usage: /);
    expect(stdout()).toContain(command.help);
  });

  it('help <command> prints the same', async () => {
    const viaFlag = recordingIO();
    const viaHelp = recordingIO();

    await runCli([name, '--help'], viaFlag.io);
    const code = await runCli(['help', name], viaHelp.io);

    expect(code).toBe(0);
    expect(viaHelp.stdout()).toBe(viaFlag.stdout());
  });
});

describe('send as a command', () => {
  it('writes its errors to the command’s stderr with its own exit code', async () => {
    const { io, stdout, stderr } = recordingIO();
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    const code = await runCli(
      ['send', '--sqs', 'all', 'message.new', '--sqs-endpoint', endpoint],
      io,
    );

    expect(code).toBe(1);
    expect(stdout()).toBe('');
    expect(stderr()).toMatch(/^send: cannot reach the dev SQS server at .* \(ECONNREFUSED\)/);
  });

  it('reads the command’s environment', async () => {
    const { io, stderr } = recordingIO();
    const port = await closedPort();

    const code = await runCli(['send', '--sqs', 'all', 'message.new'], {
      ...io,
      env: { SQS_PORT: String(port) },
    });

    expect(code).toBe(1);
    expect(stderr()).toContain(`http://127.0.0.1:${port}`);
  });
});

describe('processCommandIO', () => {
  function processLike() {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const shown: string[] = [];
    stdout.on('data', (chunk: Buffer) => shown.push(chunk.toString()));
    return { proc: { stdin, stdout, stderr, env: { A: '1' } }, stdin, shown };
  }

  it('is not interactive without a terminal, and passes the environment', () => {
    const { proc } = processLike();

    const io = processCommandIO(proc);

    expect(io.interactive).toBe(false);
    expect(io.env).toEqual({ A: '1' });
  });

  it.each([
    ['y', true],
    ['yes', true],
    [' Y ', true],
    ['n', false],
    ['', false],
    ['sure', false],
  ])('confirm reads %j as %s', async (answer, expected) => {
    const { proc, stdin, shown } = processLike();
    const io = processCommandIO(proc);

    const asked = io.confirm('Apply 2 changes?');
    setImmediate(() => stdin.write(`${answer}\n`));

    expect(await asked).toBe(expected);
    expect(shown.join('')).toBe('Apply 2 changes? [y/N] ');
  });

  it('confirm is a no when input ends before an answer', async () => {
    const { proc, stdin } = processLike();
    const io = processCommandIO(proc);

    const asked = io.confirm('Apply?');
    setImmediate(() => stdin.end());

    expect(await asked).toBe(false);
  });
});

describe('the real entry points', () => {
  it('npx tsx bin/stream-events.ts --help lists the commands', async () => {
    const { stdout } = await run('npx', ['tsx', 'bin/stream-events.ts', '--help']);

    expect(stdout).toBe(cliHelp());
  });

  it('--version prints the package version', async () => {
    const { stdout } = await run(process.execPath, ['bin/stream-events.js', '--version']);

    expect(stdout).toBe(`${cliVersion()}\n`);
    expect(cliVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([['--help'], ['--version']])(
    '%s loads no command module, no AWS SDK and no aws-cdk-lib',
    async (flag) => {
      // Node's --import hook prints every module the process loaded, after the CLI finished.
      const { stdout } = await run(process.execPath, [
        '--import',
        'tsx',
        '--import',
        './test/support/print-loaded-modules.mjs',
        'bin/stream-events.ts',
        flag,
      ]);
      const loaded = stdout.split('\n').filter((line) => line.startsWith('loaded: '));

      expect(loaded.length).toBeGreaterThan(0);
      expect(
        loaded.filter((line) => /@aws-sdk|aws-cdk-lib|\/cli\/(?!index|command)/.test(line)),
      ).toEqual([]);
    },
  );

  it('the same check sees what a command loads once it runs', async () => {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      '--import',
      './test/support/print-loaded-modules.mjs',
      'bin/stream-events.ts',
      'status',
      '--help',
    ]);

    expect(stdout).toMatch(/^loaded: .*\/cli\/status\.ts$/m);
    expect(stdout).toMatch(/^loaded: .*@aws-sdk\/client-cloudformation/m);
  });

  it('the bin launcher (bin/stream-events.js) runs a command through tsx', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      'bin/stream-events.js',
      'events',
      '--json',
    ]);

    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({
      groups: expect.any(Array),
      events: expect.any(Array),
    });
  });

  it('an unknown command exits 2 from the real process', async () => {
    const failure = await run(process.execPath, ['bin/stream-events.js', 'nope']).catch(
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "nope"'),
    });
  });

  it('npm run send still runs send', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'send', '--', '--help']);

    expect(stdout).toMatch(/^Usage: npm run send -- <event> \[options\]/);
    expect(stdout).toMatch(/Sample events: .*message\.new/);
  });
});
