// tsshd and tsshd-session run by an ordinary user: `tsshd -t` says that only that user can log in, the user's
// own key login works, any other user is refused with the reason in the log, and passwords (no shadow access)
// are refused. The test starts as root to make the account and drops to it with setpriv.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { askpassEnv, passwordOptions } from '../helpers/openssh-login.js';
import { BIN, peerBinary, run, tempDir } from '../helpers/processes.js';
import { opensshKey, type KeyPair } from '../helpers/servers.js';
import { TestAccounts, accountsSkip, askpassScript, type TestAccount } from '../helpers/test-accounts.js';

const ssh = peerBinary('/usr/bin/ssh');
const skip = ssh.skip || accountsSkip;
const accounts = new TestAccounts();
const scratch = tempDir('tssh-nonroot-');
let erin: TestAccount;
let key: KeyPair;
let config: string;

before(async () => {
  if (skip) return;
  chmodSync(scratch.path, 0o755);
  erin = await accounts.create();
  key = await opensshKey(scratch.path, 'erin_ed25519');
  accounts.authorizeKeys(erin, [readFileSync(key.publicKey, 'utf8')]);
  const host = await opensshKey(scratch.path, 'host_ed25519');
  const hostCopy = join(scratch.path, 'host_key_of_erin');
  copyFileSync(host.privateKey, hostCopy);
  chownSync(hostCopy, erin.uid, erin.gid);
  chmodSync(hostCopy, 0o600);
  config = join(scratch.path, 'sshd_config');
  writeFileSync(config, [`HostKey ${hostCopy}`, 'LogLevel VERBOSE', 'PasswordAuthentication yes', 'PerSourcePenalties no', ''].join('\n'));
  chmodSync(config, 0o644);
});

after(async () => {
  await accounts.removeAll();
  scratch.cleanup();
});

const asErin = (): string[] => ['setpriv', `--reuid=${erin.uid}`, `--regid=${erin.gid}`, '--init-groups'];

test('tsshd -t as an ordinary user says who can log in', { skip }, async () => {
  const [file, ...args] = asErin();
  const r = await run(file, [...args, process.execPath, BIN.tsshd, '-t', '-f', config]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `tsshd runs as ${erin.name}: only ${erin.name} can log in\n`);
  const asRoot = await run(process.execPath, [BIN.tsshd, '-t', '-f', config]);
  assert.equal(asRoot.stdout.toString(), '', 'root can serve everyone: nothing to say');
});

test('a worker run by an ordinary user serves that user only, and cannot check passwords', { skip }, async () => {
  const log = join(scratch.path, 'worker.log');
  writeFileSync(log, '');
  chownSync(log, erin.uid, erin.gid);
  const proxy = [...asErin(), process.execPath, BIN.tsshdSession, '-i', '-f', config, '-E', log].join(' ');
  const base = ['-F', '/dev/null', '-o', `ProxyCommand=${proxy}`, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
  const keyOpts = ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key.privateKey];
  const own = await run('ssh', [...base, ...keyOpts, `${erin.name}@tsshd`, 'id -un']);
  assert.equal(own.code, 0, own.stderr);
  assert.equal(own.stdout.toString(), `${erin.name}\n`);
  const other = await run('ssh', [...base, ...keyOpts, 'root@tsshd', 'true']);
  assert.equal(other.code, 255);
  assert.match(readFileSync(log, 'utf8'), new RegExp(`User root not allowed: tsshd-session runs as ${erin.name} and can serve only that user`));
  const askpass = askpassScript(scratch.path, erin.password);
  chmodSync(askpass, 0o755);
  const password = await run('ssh', [...base, ...passwordOptions('password'), `${erin.name}@tsshd`, 'true'], { env: askpassEnv(askpass) });
  assert.equal(password.code, 255, 'no shadow access, no password logins');
  assert.match(readFileSync(log, 'utf8'), new RegExp(`Password check for ${erin.name} from .*: no shadow entry readable`));
});
