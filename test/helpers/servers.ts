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

/** Our tsshd on 127.0.0.1, a throwaway host key, the current user authorized with a fresh key. */
export async function startTsshd(opts: ServerOptions = {}): Promise<RunningServer> {
  const tmp = tempDir('tsshd-');
  const dir = tmp.path;
  const hostKey = await opensshKey(dir, 'host_ed25519');
  const userKey = await opensshKey(dir, 'id_ed25519');
  copyFileSync(userKey.publicKey, join(dir, 'authorized_keys'));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${hostKey.privateKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'LogLevel VERBOSE',
      ...(opts.config ?? []),
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [BIN.tsshd, '-D', '-e', '-f', join(dir, 'sshd_config'), ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = collect(child);
  await waitForOutput(child, /Server listening on 127\.0\.0\.1 port \d+/);
  return {
    port,
    dir,
    hostKey,
    userKey,
    user: CURRENT_USER,
    process: child,
    log,
    stop: stopper(child, tmp.cleanup),
  };
}

/** OpenSSH's sshd on 127.0.0.1 with a private config, as root (it needs /run/sshd). */
export async function startOpenSshd(opts: ServerOptions = {}): Promise<RunningServer> {
  const tmp = tempDir('sshd-');
  const dir = tmp.path;
  const hostKey = await opensshKey(dir, 'host_ed25519');
  const userKey = await opensshKey(dir, 'id_ed25519');
  copyFileSync(userKey.publicKey, join(dir, 'authorized_keys'));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${hostKey.privateKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'LogLevel VERBOSE',
      ...(opts.config ?? []),
      '',
    ].join('\n'),
  );
  await run('mkdir', ['-p', '/run/sshd']);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config'), ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = collect(child);
  await waitForOutput(child, /Server listening on 127\.0\.0\.1 port \d+/);
  return {
    port,
    dir,
    hostKey,
    userKey,
    user: CURRENT_USER,
    process: child,
    log,
    stop: stopper(child, tmp.cleanup),
  };
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
