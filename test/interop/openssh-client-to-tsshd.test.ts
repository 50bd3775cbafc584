// OpenSSH's ssh against our tsshd (listener + per-connection tsshd-session) on 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BIN, peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
let server: RunningServer;

before(async () => {
  if (!ssh.skip) server = await startTsshd();
});
after(async () => server?.stop());

test('command output, stderr and exit code', { skip: ssh.skip }, async () => {
  const r = await run('ssh', [...sshArgs(server), 'echo out; echo err >&2; exit 7']);
  assert.equal(r.stdout.toString(), 'out\n');
  assert.match(r.stderr, /^err$/m);
  assert.equal(r.code, 7);
});

test('the command runs in the home directory with the session environment', { skip: ssh.skip }, async () => {
  const r = await run('ssh', [...sshArgs(server), 'pwd; echo "$USER|$LOGNAME|$HOME|$SSH_CONNECTION|$SSH_CLIENT|$PATH"']);
  const [pwd, vars] = r.stdout.toString().trim().split('\n');
  const [user, logname, home, conn, client, path] = vars.split('|');
  assert.equal(user, server.user);
  assert.equal(logname, server.user);
  assert.equal(pwd, home);
  assert.match(conn, new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${server.port}$`));
  assert.match(client, new RegExp(`^127\\.0\\.0\\.1 \\d+ ${server.port}$`));
  assert.ok(path.includes('/usr/bin'));
  assert.equal(r.code, 0);
});

test("a command's stdout is a pipe, as under sshd; 32 MiB of output arrive whole, then the exit status", { skip: ssh.skip }, async () => {
  const size = 32 << 20;
  for (let i = 0; i < 2; i++) {
    const r = await run('ssh', [...sshArgs(server), `stat -L -c %F /proc/$$/fd/1 >&2; head -c ${size} /dev/zero | tr '\\0' x; exit 3`], { timeoutMs: 120_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^fifo$/m);
    assert.equal(r.stdout.length, size);
    assert.ok(r.stdout.equals(Buffer.alloc(size, 'x')));
  }
});

test('64 MiB through stdin and back, SHA-256 equal', { skip: ssh.skip }, async () => {
  const data = randomBytes(64 << 20);
  const r = await run('ssh', [...sshArgs(server), 'cat'], { input: data, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, data.length);
  assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(data).digest('hex'));
});

for (const cipher of ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']) {
  for (const kex of ['curve25519-sha256', 'curve25519-sha256@libssh.org']) {
    test(`OpenSSH chooses ${cipher} with ${kex}`, { skip: ssh.skip }, async () => {
      const data = randomBytes(1 << 20);
      const r = await run('ssh', [...sshArgs(server, ['-c', cipher, '-o', `KexAlgorithms=${kex}`]), 'sha256sum'], { input: data });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString().split(' ')[0], createHash('sha256').update(data).digest('hex'));
    });
  }
}

for (const cipher of ['aes128-ctr', 'aes192-ctr', 'aes256-ctr']) {
  for (const mac of ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512']) {
    test(`OpenSSH chooses ${cipher} with ${mac}`, { skip: ssh.skip }, async () => {
      const data = randomBytes(1 << 20);
      const r = await run('ssh', [...sshArgs(server, ['-c', cipher, '-m', mac]), 'cat'], { input: data });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.equals(data));
    });
  }
}

test('delayed zlib compression (ssh -C) moves compressible and random data intact', { skip: ssh.skip }, async () => {
  const data = Buffer.concat([Buffer.alloc(1 << 20, 'tssh '), randomBytes(1 << 20)]);
  const r = await run('ssh', [...sshArgs(server, ['-C', '-v']), 'cat'], { input: data });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /compression: zlib@openssh\.com/);
  assert.ok(r.stdout.equals(data));
});

test('the server logs the login like sshd', { skip: ssh.skip }, async () => {
  await run('ssh', [...sshArgs(server), 'true']);
  assert.match(server.log(), new RegExp(`Accepted publickey for ${server.user} from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519 SHA256:`));
});

test('a key that is not authorized is refused: Permission denied', { skip: ssh.skip }, async () => {
  const args = sshArgs(server, ['-o', 'IdentitiesOnly=yes']).map((a) => (a === server.userKey.privateKey ? server.hostKey.privateKey : a));
  const r = await run('ssh', [...args, 'true']);
  assert.equal(r.code, 255);
  // sshd's defaults offer passwords too (PasswordAuthentication and KbdInteractiveAuthentication yes).
  assert.match(r.stderr, /Permission denied \(publickey,password,keyboard-interactive\)/);
});

test('an unknown user is refused and logged as Invalid user', { skip: ssh.skip }, async () => {
  const args = sshArgs(server);
  args[args.length - 1] = 'no-such-user-tssh@127.0.0.1';
  const r = await run('ssh', [...args, 'true']);
  assert.equal(r.code, 255);
  assert.match(server.log(), /Invalid user no-such-user-tssh from 127\.0\.0\.1 port \d+/);
});

test('sshd -i mode: tsshd-session as a ProxyCommand, no listener', { skip: ssh.skip }, async () => {
  const proxy = `${process.execPath} ${BIN.tsshdSession} -i -f ${join(server.dir, 'sshd_config')}`;
  const r = await run('ssh', [...sshArgs(server, ['-o', `ProxyCommand=${proxy}`]), 'echo via inetd']);
  assert.equal(r.stdout.toString(), 'via inetd\n');
  assert.equal(r.code, 0, r.stderr);
});
