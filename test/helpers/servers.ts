import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { BIN, freePort, run, tempDir, waitForOutput } from './processes.js';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** An ed25519 key made by OpenSSH's ssh-keygen (so the tests also prove we read its files). */
export async function opensshKey(dir: string, name: string): Promise<KeyPair> {
  const path = join(dir, name);
  const r = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  if (r.code !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return { privateKey: path, publicKey: `${path}.pub` };
}

export interface RunningServer {
  port: number;
  dir: string;
  hostKey: KeyPair;
  userKey: KeyPair;
  user: string;
  process: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Extra config lines. */
  config?: string[];
  /** Extra arguments. */
  args?: string[];
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanup();
        return resolve();
      }
      child.once('exit', () => {
        cleanup();
        resolve();
      });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
}

const CURRENT_USER = userInfo().username;

/** Starts a server program with a throwaway host key and the current user authorized with a fresh key. */
async function startServer(
  prefix: string,
  command: (configFile: string) => [file: string, args: string[]],
  ownLines: (dir: string) => string[],
  opts: ServerOptions,
): Promise<RunningServer> {
  const tmp = tempDir(prefix);
  const dir = tmp.path;
  const hostKey = await opensshKey(dir, 'host_ed25519');
  const userKey = await opensshKey(dir, 'id_ed25519');
  copyFileSync(userKey.publicKey, join(dir, 'authorized_keys'));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  const configFile = join(dir, 'sshd_config');
  const lines = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey.privateKey}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'LogLevel VERBOSE',
    ...ownLines(dir),
    ...(opts.config ?? []),
    '',
  ];
  writeFileSync(configFile, lines.join('\n'));
  const [file, args] = command(configFile);
  const child = spawn(file, [...args, ...(opts.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = collect(child);
  await waitForOutput(child, /Server listening on 127\.0\.0\.1 port \d+/);
  return { port, dir, hostKey, userKey, user: CURRENT_USER, process: child, log, stop: stopper(child, tmp.cleanup) };
}

/** Our tsshd on 127.0.0.1. */
export function startTsshd(opts: ServerOptions = {}): Promise<RunningServer> {
  return startServer('tsshd-', (cfg) => [process.execPath, [BIN.tsshd, '-D', '-e', '-f', cfg]], () => [], opts);
}

/** OpenSSH's sshd on 127.0.0.1 with a private config, as root (it needs /run/sshd). */
export async function startOpenSshd(opts: ServerOptions = {}): Promise<RunningServer> {
  await run('mkdir', ['-p', '/run/sshd']);
  return startServer(
    'sshd-',
    (cfg) => ['/usr/sbin/sshd', ['-D', '-e', '-f', cfg]],
    (dir) => ['UsePAM no', `PidFile ${join(dir, 'sshd.pid')}`],
    opts,
  );
}

/** OpenSSH ssh options for talking to a test server without touching the real ~/.ssh. */
export function sshArgs(server: RunningServer, extra: string[] = []): string[] {
  return [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(server.dir, 'known_hosts')}`,
    '-o', 'LogLevel=ERROR',
    '-i', server.userKey.privateKey,
    '-p', String(server.port),
    ...extra,
    `${server.user}@127.0.0.1`,
  ];
}
