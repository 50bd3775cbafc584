// tssh's sessions against OpenSSH's sshd: SendEnv/SetEnv through AcceptEnv, the pty carrying the local
// terminal's modes and size changes, escape sequences (~? ~~ ~.) with the terminal restored afterwards, exit
// statuses and the signal message (the status compared with OpenSSH's ssh), -f and -N.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerBinary, run, tempDir } from '../helpers/processes.js';
import { startOpenSshd, type RunningServer } from '../helpers/servers.js';
import { parseTsshArgs, splitDestination } from '@tssh/ssh/dist/command-line.js';
import { PtyTssh, TSSH, cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';
import { pollFor } from '../helpers/poll.js';

const sshd = peerBinary('/usr/sbin/sshd');
const skip = sshd.skip;
const scratch = tempDir('tssh-session-');
let server: RunningServer;
let h: TestHome;

before(async () => {
  if (skip) return;
  server = await startOpenSshd({ config: ['AcceptEnv TSSH_*'] });
  h = makeHome();
  writeConfig(h, hostBlock(server.port));
  const [type, base64] = readFileSync(server.hostKey.publicKey, 'latin1').split(' ');
  writeFileSync(h.knownHosts, `[127.0.0.1]:${server.port} ${type} ${base64}\n`);
  appendFileSync(join(server.dir, 'authorized_keys'), `${h.key.publicKey.type} ${Buffer.from(h.key.publicKey.blob).toString('base64')}\n`);
});

after(async () => {
  cleanUp();
  await server?.stop();
  scratch.cleanup();
});

/** Processes whose command line holds `marker` (tssh children gone to the background), by pid. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(marker)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** tssh with -F and HOME of `h`, for runs that leave a tssh in the background holding stdout and stderr. */
function startTssh(args: string[]) {
  const child = spawn(process.execPath, [TSSH, '-F', h.config, ...args], {
    env: { ...process.env, HOME: h.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen = { out: '', err: '' };
  child.stdout.on('data', (d: Buffer) => (seen.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (seen.err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const closed = new Promise<void>((r) => child.stdout.on('close', () => r()));
  return { seen, exited, closed };
}

async function waitUntil(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  await pollFor(what, check, { timeoutMs: ms });
}

test('SendEnv and SetEnv reach the remote command through AcceptEnv; other variables do not', { skip }, async () => {
  const r = await runTssh(h, ['-o', 'SendEnv=TSSH_SENT_*', '-o', 'SetEnv=TSSH_SET="two words"', 'testhost', 'echo "$TSSH_SENT_A|$TSSH_SET|$TSSH_KEPT"'], {
    env: { TSSH_SENT_A: 'one', TSSH_KEPT: 'local only' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'one|two words|\n');
});

test('pty: the local modes (intr ^B) and window size, then a resize seen by stty size', { skip }, async () => {
  const t = new PtyTssh(h, ['-t', 'testhost', 'stty -a | grep -o "intr = ^B"; stty size; while read x; do stty size; done; exit 4'], {
    before: 'stty intr ^B',
  });
  await t.waitFor('intr = ^B');
  await t.waitFor('30 100');
  t.resize(120, 40);
  // Each Return makes the remote shell print its size; the new one shows once the window-change is through.
  const deadline = Date.now() + 10_000;
  while (!t.output.includes('40 120')) {
    if (Date.now() > deadline) throw new Error(`no new size in:\n${t.output}`);
    t.type('\r');
    await new Promise((r) => setTimeout(r, 100));
  }
  t.type('\x04'); // ^D: EOF on the remote pty, the loop ends
  await t.waitFor('exit=4');
  assert.ok(t.output.includes('Connection to 127.0.0.1 closed.'), t.output);
});

test('escapes: ~? lists them, ~R rekeys, ~~ sends one ~, ~. disconnects (255) and the terminal is restored', { skip }, async () => {
  const t = new PtyTssh(h, ['-v', '-t', 'testhost', 'stty -echo; echo ready; cat'], { afterwards: 'stty -a' });
  await t.waitFor('ready');
  const kexLines = (): number => t.output.split('debug1: kex: algorithm: ').length - 1;
  assert.equal(kexLines(), 1);
  t.type('~R');
  await waitUntil('a second key exchange', () => kexLines() === 2);
  t.type('~?');
  await t.waitFor('(Note that escapes are only recognized immediately after newline.)\r\n');
  assert.ok(t.output.includes('~?\r\nSupported escape sequences:\r\n ~.   - terminate connection\r\n'), t.output);
  t.type('~~tilde\r');
  await t.waitFor('~tilde'); // cat echoes it back: one ~
  assert.ok(!t.output.includes('~~tilde'));
  t.type('~.');
  await t.waitFor('exit=255');
  assert.ok(t.output.includes('Connection to 127.0.0.1 closed.'), t.output);
  await t.exitCode();
  const modes = t.output.slice(t.output.indexOf('exit=255'));
  for (const mode of ['icanon', 'echo', 'opost', 'isig']) assert.match(modes, new RegExp(`(^|\\s)${mode}(\\s|$)`, 'm'), modes);
});

test('-l and user@host: the user OpenSSH\'s ssh -G picks, whichever order', { skip }, async () => {
  for (const argv of [['-l', 'aa', 'bb@host'], ['bb@host', '-l', 'aa'], ['host', '-l', 'aa'], ['-l', 'aa', '-l', 'cc', 'host']]) {
    const g = await run('ssh', ['-G', '-F', '/dev/null', ...argv]);
    const theirs = /^user (.*)$/m.exec(g.stdout.toString())?.[1];
    const args = parseTsshArgs(argv);
    assert.equal(args.user ?? splitDestination(args.destination).user, theirs, argv.join(' '));
  }
});

test('EscapeChar none: ~. is just text', { skip }, async () => {
  const t = new PtyTssh(h, ['-t', '-e', 'none', 'testhost', 'stty -echo; echo ready; head -c 3; echo; exit 6']);
  await t.waitFor('ready');
  t.type('~.x\r'); // the remote pty is in canonical mode: the line goes once complete
  assert.equal(await t.exitCode(), 6, t.output);
  assert.ok(t.output.includes('~.x'), t.output);
});

test('exit statuses; a signal: the message, and the status OpenSSH\'s ssh gives (255)', { skip }, async () => {
  const three = await runTssh(h, ['testhost', 'exit 3']);
  assert.equal(three.code, 3);
  assert.equal(three.stderr, '');
  const killed = await runTssh(h, ['testhost', 'kill -TERM $$']);
  const theirs = await run('ssh', [
    '-F', '/dev/null', '-o', `UserKnownHostsFile=${h.knownHosts}`, '-i', h.keyFile, '-p', String(server.port),
    `${server.user}@127.0.0.1`, 'kill -TERM $$',
  ]);
  assert.equal(theirs.stderr, '', 'ssh prints nothing');
  assert.equal(killed.code, theirs.code);
  assert.equal(killed.code, 255);
  assert.equal(killed.stderr, 'Remote command killed by signal TERM\n');
  const quiet = await runTssh(h, ['-q', 'testhost', 'kill -KILL $$']);
  assert.equal(quiet.code, 255);
  assert.equal(quiet.stderr, '');
});

test('-f: tssh returns 0 once authenticated; the command runs on in the background, output on the same stdout', { skip }, async () => {
  const t = startTssh(['-f', 'testhost', 'sleep 1; echo late; tty || true']);
  assert.equal(await t.exited, 0);
  assert.equal(t.seen.out, '', 'back before the command is done');
  await t.closed; // the background tssh holds the pipe until it ends
  assert.equal(t.seen.out, 'late\nnot a tty\n');
  assert.equal(t.seen.err, '');
});

test('-f without a command: ssh\'s refusal; -f -N stays connected in the background', { skip }, async () => {
  const none = await runTssh(h, ['-f', 'testhost']);
  assert.equal(none.code, 255);
  assert.equal(none.stderr, 'Cannot fork into background without a command to execute.\n');

  const marker = `tssh-bg-${process.pid}-${Date.now()}`;
  const t = startTssh(['-f', '-N', '-o', `SetEnv=TSSH_MARK=${marker}`, 'testhost']);
  assert.equal(await t.exited, 0, t.seen.err);
  const pids = processesWith(marker);
  assert.equal(pids.length, 1, 'one tssh in the background');
  const [pid] = pids;
  assert.equal(readFileSync(`/proc/${pid}/stat`, 'latin1').split(' ')[5], String(pid), 'the leader of a session of its own');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(existsSync(`/proc/${pid}`), 'still connected');
  process.kill(pid, 'SIGTERM');
  await waitUntil('the background tssh to end', () => !existsSync(`/proc/${pid}`));
});
