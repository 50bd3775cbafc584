// Running the real tssh program in tests: a throwaway HOME with ~/.ssh (an ed25519 key, known_hosts) and a
// config file given with -F; tssh started as a plain child (in a session of its own, so with no terminal to
// ask on) or under a real pseudo-terminal (node-pty). Every process started here is killed by killAll().
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { Ed25519PrivateKey, serializePrivateKey, type PrivateKey } from '@tssh/ssh-protocol/keys';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TSSH = join(ROOT, 'packages/ssh/bin/tssh.js');
const WAIT_MS = 20_000;

const pids = new Set<number>();
const dirs: string[] = [];

/** Kills every process started here and removes every HOME made here. */
export function cleanUp(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface TestHome {
  readonly dir: string;
  readonly sshDir: string;
  /** ~/.ssh/id_ed25519, mode 0600. */
  readonly key: PrivateKey;
  readonly keyFile: string;
  readonly knownHosts: string;
  /** The file given with -F. */
  readonly config: string;
}

/** A HOME with ~/.ssh/id_ed25519 and a config whose known_hosts files are only the ones in this HOME. */
export function makeHome(configLines: readonly string[] = []): TestHome {
  const dir = mkdtempSync(join(tmpdir(), 'tssh-test-'));
  dirs.push(dir);
  const sshDir = join(dir, '.ssh');
  mkdirSync(sshDir, { mode: 0o700 });
  const key = new Ed25519PrivateKey(systemRandom(32), 'tester@tssh');
  const keyFile = join(sshDir, 'id_ed25519');
  writeFileSync(keyFile, serializePrivateKey(key, { random: systemRandom }), { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const home = { dir, sshDir, key, keyFile, knownHosts: join(sshDir, 'known_hosts'), config: join(dir, 'ssh_config') };
  writeConfig(home, configLines);
  return home;
}

/** Replaces the -F file; GlobalKnownHostsFile is always /dev/null, so that no system file plays a part. */
export function writeConfig(home: TestHome, lines: readonly string[]): void {
  writeFileSync(home.config, [...lines, 'GlobalKnownHostsFile /dev/null', ''].join('\n'));
}

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  readonly input?: Uint8Array | string;
  /** Leave stdin open (and empty) rather than ending it. */
  readonly keepStdinOpen?: boolean;
  /** Variables added to tssh's environment (SSH_AUTH_SOCK is otherwise removed). */
  readonly env?: NodeJS.ProcessEnv;
}

function tsshEnv(home: TestHome, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home.dir, TERM: 'xterm' };
  delete env.SSH_AUTH_SOCK;
  return { ...env, ...extra };
}

/** Runs `tssh -F home.config ARGS` with no controlling terminal; resolves when it exits. */
export function runTssh(home: TestHome, args: readonly string[], opts: RunOptions = {}): Promise<Run> {
  const child = spawn(process.execPath, [TSSH, '-F', home.config, ...args], {
    env: tsshEnv(home, opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // a session of its own: /dev/tty cannot be opened
  });
  if (child.pid !== undefined) pids.add(child.pid);
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.on('error', () => {});
  if (opts.input !== undefined) child.stdin.end(opts.input);
  else if (!opts.keepStdinOpen) child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) pids.delete(child.pid);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    }),
  );
}

export interface PtyOptions {
  /**
   * A shell command run on the same terminal after tssh (which then runs under `sh`); tssh's exit status is
   * printed as `exit=N` before it.
   */
  readonly afterwards?: string;
  /** A shell command run on the terminal before tssh (which then runs under `sh`). */
  readonly before?: string;
  /** Variables added to tssh's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/** tssh on a real pseudo-terminal: its output (stdout and stderr together) and a way to type. */
export class PtyTssh {
  private readonly term: pty.IPty;
  output = '';
  readonly exited: Promise<number>;

  constructor(home: TestHome, args: readonly string[], opts: PtyOptions = {}) {
    const argv = [process.execPath, TSSH, '-F', home.config, ...args];
    const shell = opts.afterwards !== undefined || opts.before !== undefined;
    const script = `${opts.before ?? ':'}; "$@"; echo "exit=$?"; ${opts.afterwards ?? ':'}`;
    const [file, ...rest] = shell ? ['/bin/sh', '-c', script, 'sh', ...argv] : argv;
    this.term = pty.spawn(file, rest, {
      name: 'xterm',
      cols: 100,
      rows: 30,
      cwd: home.dir,
      env: tsshEnv(home, opts.env) as Record<string, string>,
    });
    pids.add(this.term.pid);
    this.term.onData((d) => (this.output += d));
    this.exited = new Promise((resolve) =>
      this.term.onExit(({ exitCode }) => {
        pids.delete(this.term.pid);
        resolve(exitCode);
      }),
    );
  }

  /** Resolves once `text` has appeared in the output. */
  async waitFor(text: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!this.output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)} in:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  type(text: string): void {
    this.term.write(text);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
  }

  /** The exit code, after the output has drained. */
  async exitCode(): Promise<number> {
    const code = await this.exited;
    await new Promise((r) => setTimeout(r, 50));
    return code;
  }
}

/** The config lines that point tssh at a test server as `testhost`. */
export function hostBlock(port: number, extra: readonly string[] = []): string[] {
  return ['Host testhost', '  HostName 127.0.0.1', `  Port ${port}`, ...extra.map((l) => `  ${l}`)];
}
