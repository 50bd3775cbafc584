// tsftp: an interactive SFTP client with OpenSSH sftp's commands and flags. Connects as tssh does (same config,
// known_hosts and prompts), starts in the remote home directory (or in DIR of host:DIR; host:FILE fetches the
// file and exits), then reads commands at the `sftp> ` prompt or from a batch file (-b). Exit status: 0, or 1
// when a batch stopped at a failure, 255 when the connection failed.
import { createReadStream } from 'node:fs';
import { createClientLogger, levelFromFlags } from '@tssh/ssh/dist/client-log.js';
import { FatalError } from '@tssh/ssh/dist/fatal-error.js';
import { terminalPrompter } from '@tssh/ssh/dist/terminal-prompt.js';
import { commandLoop } from './command-loop.js';
import { runCommand } from './command-runner.js';
import { errorText, isSessionLost } from './error-text.js';
import { exitWith, tell } from './program-exit.js';
import { makeAbsolute } from './remote-path.js';
import type { SessionState } from './session-state.js';
import { SFTP_USAGE, UsageError, parseTsftpArgs, type TsftpArgs } from './sftp-command-line.js';
import { connectSftp, type SftpConnection } from './sftp-connect.js';
import { tsshArgsFor } from './ssh-options.js';
import { isRemoteDir } from './glob-sources.js';

const EXIT_FATAL = 255;

function parse(argv: readonly string[]): TsftpArgs | undefined {
  try {
    return parseTsftpArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    tell(`tsftp: ${e.message}\n${SFTP_USAGE}\n`);
    return undefined;
  }
}

function sessionState(conn: SftpConnection, args: TsftpArgs, home: string): SessionState {
  const stdout = process.stdout;
  const state: SessionState = {
    client: conn.client,
    cwd: home,
    home,
    quiet: args.quiet,
    batch: args.batchFile !== undefined,
    showProgress: !args.quiet,
    signal: undefined,
    defaults: { recursive: args.recursive, preserve: args.preserve, resume: args.resume, fsync: args.fsync },
    print: (text) => void stdout.write(`${text}\n`),
    error: (text) => tell(`${text}\n`),
    width: () => (process.stdin.isTTY ? (stdout.columns ?? 80) : 80),
    transfers: () => ({
      client: conn.client,
      tuning: conn.tuning,
      progress: state.showProgress && stdout.isTTY === true,
      meter: { write: (t) => void stdout.write(t), columns: stdout.columns ?? 80 },
      say: (text) => void stdout.write(`${text}\n`),
      error: (text) => tell(`${text}\n`),
      signal: state.signal,
    }),
  };
  return state;
}

/** host:PATH: a directory becomes the working directory; anything else is fetched (true: done already). */
async function startPath(s: SessionState, path: string, resume: boolean): Promise<{ done: boolean; ok: boolean }> {
  const dir = makeAbsolute(path, s.cwd);
  const isDir = await s.client.stat(dir).then(isRemoteDir, (e: unknown) => {
    if (isSessionLost(e)) throw e;
    return false;
  });
  if (isDir) {
    s.print(`Changing to: ${dir}`);
    return { done: false, ok: (await runCommand(s, { kind: 'cd', path: dir })) === 'ok' };
  }
  const flags = { ...s.defaults, resume: resume || s.defaults.resume };
  return { done: true, ok: (await runCommand(s, { kind: 'get', flags, source: dir, target: undefined })) === 'ok' };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parse(argv);
  if (!args) return 1;
  const flagLevel = levelFromFlags(args.ssh.quiet, args.ssh.verbose);
  const log = createClientLogger(flagLevel ?? 'INFO');
  let conn: SftpConnection;
  try {
    conn = await connectSftp(
      tsshArgsFor(args.ssh, args.remote),
      { log, levelFromFlags: flagLevel !== undefined, tell, prompter: terminalPrompter },
      { bufferSize: args.bufferSize, requests: args.requests },
    );
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
    for (const line of e.message.split('\n')) log.fatal(line);
    return EXIT_FATAL;
  }
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void conn.close().then(() => exitWith(1)));
  try {
    let home: string;
    try {
      home = await conn.client.realpath('.');
    } catch (e) {
      log.fatal(`Need cwd: ${errorText(e)}`);
      return EXIT_FATAL;
    }
    if (!args.quiet) tell(`Connected to ${conn.host}.\n`);
    const s = sessionState(conn, args, home);
    if (args.remote.path !== '') {
      const r = await startPath(s, args.remote.path, args.resume);
      if (r.done || !r.ok) return r.ok ? 0 : 1;
    }
    const batch = args.batchFile !== undefined;
    const input = !batch || args.batchFile === '-' ? process.stdin : createReadStream(args.batchFile!);
    if (batch && args.batchFile !== '-') {
      input.on('error', (e: Error) => {
        log.fatal(`${errorText(e)} (${args.batchFile}).`);
        void exitWith(1);
      });
    }
    const ok = await commandLoop(s, { input, interactive: !batch && process.stdin.isTTY === true, batch });
    return ok ? 0 : 1;
  } catch (e) {
    if (!isSessionLost(e)) throw e;
    log.fatal('Connection closed');
    return EXIT_FATAL;
  } finally {
    await conn.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => exitWith(code),
  (e: unknown) => {
    tell(`tsftp: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return exitWith(EXIT_FATAL);
  },
);
