// OpenSSH's ssh against tsshd for the interactive session of a real account: a login shell on a pseudo-terminal
// driven through node-pty (prompt, terminal modes, window-change, Ctrl-C, exit status), and the session
// requests and authorized_keys options around it. Needs root (useradd); skipped with the reason otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { re, sshLogin, waitForLog } from '../helpers/openssh-login.js';
import { peerBinary, run, tempDir } from '../helpers/processes.js';
import { opensshKey, startTsshd, type KeyPair, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip, type TestAccount } from '../helpers/test-accounts.js';

const ssh = peerBinary('/usr/bin/ssh');
const sftp = peerBinary('/usr/bin/sftp');
const skip = ssh.skip || accountsSkip;
const accounts = new TestAccounts();
const scratch = tempDir('tssh-term-');
let server: RunningServer;
let forcing: RunningServer;
let bob: TestAccount;
let key: KeyPair;
let publicLine: string;

before(async () => {
  if (skip) return;
  const common = ['PerSourcePenalties no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no'];
  const args = ['-o', 'AuthorizedKeysFile=.ssh/authorized_keys', '-o', 'StrictModes=yes'];
  server = await startTsshd({
    config: [
      ...common,
      'AcceptEnv LC_TSSH_*',
      'SetEnv TSSH_SETENV=from-config',
      'PermitUserEnvironment TSSH_KEY*',
      'Subsystem echo-sub /bin/cat',
      'Subsystem sftp internal-sftp',
    ],
    args,
  });
  forcing = await startTsshd({ config: [...common, 'ForceCommand echo "forced:$SSH_ORIGINAL_COMMAND"'], args });
  bob = await accounts.create();
  key = await opensshKey(scratch.path, 'bob_ed25519');
  publicLine = readFileSync(key.publicKey, 'utf8').trim();
  accounts.authorizeKeys(bob, [publicLine]);
});

after(async () => {
  await server?.stop();
  await forcing?.stop();
  await accounts.removeAll();
  scratch.cleanup();
});

function bobArgs(on: RunningServer, extra: string[] = []): string[] {
  return sshLogin(on, bob.name, ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key.privateKey, ...extra]);
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** ssh -tt in a real terminal of our own (node-pty), with our terminal's werase set to ^X first. */
class Terminal {
  private text = '';
  readonly pty: IPty;
  readonly exited: Promise<number>;

  constructor(args: string[]) {
    const command = `stty werase ^X; exec ssh ${args.map(quote).join(' ')}`;
    this.pty = spawnPty('/bin/sh', ['-c', command], { name: 'xterm-256color', cols: 80, rows: 24, cwd: scratch.path, env: { ...process.env } as Record<string, string> });
    this.pty.onData((d) => (this.text += d));
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  get output(): string {
    return this.text;
  }

  /** Waits for `pattern` in what came after `from` (an index into the output). */
  async expect(pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.text.slice(from));
      if (m) return from + m.index + m[0].length;
      if (Date.now() > until) throw new Error(`terminal never showed ${pattern}; it shows:\n${JSON.stringify(this.text.slice(-1500))}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  /** Types a line and returns where its output starts. */
  type(line: string): number {
    const at = this.text.length;
    this.pty.write(`${line}\r`);
    return at;
  }

  kill(): void {
    try {
      this.pty.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

test('an interactive login shell on a terminal: prompt, modes, window-change, Ctrl-C, exit status', { skip }, async () => {
  await run('ssh', [...bobArgs(server), 'true']); // a login before, for "Last login"
  const t = new Terminal(['-tt', ...bobArgs(server)]);
  try {
    await t.expect(/\$ $/m);
    if (existsSync('/var/log/lastlog')) assert.match(t.output, /Last login: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} from 127\.0\.0\.1\r\n/);
    const motd = existsSync('/etc/motd') ? readFileSync('/etc/motd', 'utf8').split('\n').find((l) => l.trim()) : undefined;
    if (motd) assert.ok(t.output.includes(motd), 'the message of the day comes before the prompt');
    t.type('PS1="tssh-ready> "');
    await t.expect(/tssh-ready> $/);
    let at = t.type('echo "argv0=$0 term=$TERM tty=$SSH_TTY mail=$MAIL"');
    await t.expect(new RegExp(`argv0=-bash term=xterm-256color tty=/dev/pts/\\d+ mail=/var/mail/${re(bob.name)}\\r\\n`), at);
    at = t.type('stty size');
    await t.expect(/\b24 80\r\n/, at);
    at = t.type('echo "W:$(stty -a | tr ";" "\\n" | grep -w werase)"');
    await t.expect(/W:werase = \^X\r\n/, at);
    t.pty.resize(100, 30);
    await new Promise((r) => setTimeout(r, 300));
    at = t.type('stty size');
    await t.expect(/\b30 100\r\n/, at);
    at = t.type('sleep 30; echo not-interrupted');
    await new Promise((r) => setTimeout(r, 1000));
    t.pty.write('\x03');
    await t.expect(/tssh-ready> $/, at + 40);
    at = t.type('echo "rc=$?"');
    await t.expect(/\brc=130\r\n/, at);
    assert.doesNotMatch(t.output, /[\r\n]not-interrupted\r\n/);
    t.type('exit 7');
    assert.equal(await t.exited, 7);
  } finally {
    t.kill();
  }
  await waitForLog(server, new RegExp(`Starting session: shell on pts/\\d+ for ${re(bob.name)} from 127\\.0\\.0\\.1 port \\d+ id 0`));
});

test('a command on a terminal: tty, TERM and the exit status', { skip }, async () => {
  const t = new Terminal(['-tt', ...bobArgs(server), 'tty; echo "term=$TERM"; exit 3']);
  try {
    await t.expect(/\/dev\/pts\/\d+\r\nterm=xterm-256color\r\n/);
    assert.equal(await t.exited, 3);
  } finally {
    t.kill();
  }
});

test('exit-signal: a command killed by a signal is reported by name', { skip }, async () => {
  const r = await run('ssh', [...bobArgs(server, ['-o', 'LogLevel=DEBUG1']), 'kill -TERM $$']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /client_input_channel_req: channel 0 rtype exit-signal/);
});

test('env: AcceptEnv names pass, others do not; SetEnv from the config', { skip }, async () => {
  const args = bobArgs(server, ['-o', 'SetEnv=LC_TSSH_X=yes NOT_ACCEPTED=no']);
  const r = await run('ssh', [...args, 'echo "$LC_TSSH_X|${NOT_ACCEPTED-unset}|$TSSH_SETENV"']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'yes|unset|from-config\n');
});

test('ForceCommand replaces the command and passes it on in SSH_ORIGINAL_COMMAND', { skip }, async () => {
  const r = await run('ssh', [...bobArgs(forcing), 'rm -rf /nothing here']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'forced:rm -rf /nothing here\n');
  await waitForLog(forcing, /Starting session: forced-command \(config\) 'echo "forced:\$SSH_ORIGINAL_COMMAND"' for/);
});

test('subsystems: a Subsystem command, and internal-sftp for OpenSSH sftp', { skip: skip || sftp.skip }, async () => {
  const echo = await run('ssh', [...bobArgs(server), '-s', 'echo-sub'], { input: 'ping\n' });
  assert.equal(echo.code, 0, echo.stderr);
  assert.equal(echo.stdout.toString(), 'ping\n');
  const args = bobArgs(server).filter((a) => a !== `${bob.name}@127.0.0.1`);
  const portAt = args.indexOf('-p');
  args.splice(portAt, 2, '-P', String(server.port));
  const s = await run('sftp', ['-b', '-', ...args, `${bob.name}@127.0.0.1`], { input: 'pwd\n' });
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout.toString(), new RegExp(`Remote working directory: ${re(bob.home)}`));
});

test('authorized_keys options: command=, environment=, no-pty, restrict, from=', { skip }, async () => {
  const withOptions = async (options: string, command: string, sshOptions: string[] = []) => {
    accounts.authorizeKeys(bob, [`${options} ${publicLine}`]);
    return run('ssh', [...bobArgs(server, sshOptions), command]);
  };
  try {
    let r = await withOptions('command="echo key-forced:$SSH_ORIGINAL_COMMAND"', 'asked for this');
    assert.equal(r.stdout.toString(), 'key-forced:asked for this\n');
    r = await withOptions('environment="TSSH_KEYENV=from-key",environment="OTHER_VAR=x"', 'echo "$TSSH_KEYENV|${OTHER_VAR-unset}"');
    assert.equal(r.stdout.toString(), 'from-key|unset\n', 'PermitUserEnvironment lets only TSSH_KEY* through');
    // ssh -tt gives up when the terminal is refused (as it does with sshd).
    r = await withOptions('no-pty', 'true', ['-tt']);
    assert.match(r.stderr, /PTY allocation request failed on channel 0/);
    r = await withOptions('restrict', 'true', ['-tt']);
    assert.match(r.stderr, /PTY allocation request failed on channel 0/);
    r = await withOptions('no-pty', 'tty || true');
    assert.equal(r.stdout.toString(), 'not a tty\n');
    r = await withOptions('restrict,pty', 'tty', ['-tt']);
    assert.match(r.stdout.toString(), /\/dev\/pts\/\d+/);
    r = await withOptions('from="192.0.2.1"', 'true');
    assert.equal(r.code, 255);
    await waitForLog(server, new RegExp(`Authentication tried for ${re(bob.name)} with correct key but not from a permitted host \\(ip=127\\.0\\.0\\.1\\)`));
    r = await withOptions('from="127.0.0.1"', 'echo from-ok');
    assert.equal(r.stdout.toString(), 'from-ok\n');
  } finally {
    accounts.authorizeKeys(bob, [publicLine]);
  }
});
