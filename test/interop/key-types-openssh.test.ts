// Host keys and user keys of every type against OpenSSH, both ways: OpenSSH's ssh against our tsshd, and our tssh
// against OpenSSH's sshd. Every key is made by ssh-keygen; each server holds one host key of each type.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, parsePublicKeyLine } from '@tssh/ssh-protocol/keys';
import { BIN, peerBinary, run, tempDir } from '../helpers/processes.js';
import { startOpenSshd, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
const sshd = peerBinary('/usr/sbin/sshd');
const keys = tempDir('tssh-key-types-');
after(() => keys.cleanup());

/** Key files made by ssh-keygen, by name: host keys and user keys of every type. */
const HOST_KEYS = { ecdsa256: ['ecdsa', '256'], ecdsa384: ['ecdsa', '384'], ecdsa521: ['ecdsa', '521'], rsa: ['rsa', '3072'] } as const;
const USER_KEYS = { ecdsa256: ['ecdsa', '256'], ecdsa384: ['ecdsa', '384'], ecdsa521: ['ecdsa', '521'], rsa: ['rsa', '2048'] } as const;
const hostKeyPath = (name: string) => join(keys.path, `host_${name}`);
const userKeyPath = (name: string) => join(keys.path, `id_${name}`);

/** Host key algorithm -> the host key that must sign with it. */
const HOST_ALGORITHMS: ReadonlyArray<readonly [string, string | undefined]> = [
  ['ssh-ed25519', undefined],
  ['ecdsa-sha2-nistp256', 'ecdsa256'],
  ['ecdsa-sha2-nistp384', 'ecdsa384'],
  ['ecdsa-sha2-nistp521', 'ecdsa521'],
  ['rsa-sha2-512', 'rsa'],
  ['rsa-sha2-256', 'rsa'],
];

/** User key, signature algorithm, label in the server's log. */
const USER_ALGORITHMS: ReadonlyArray<readonly [string, string, string]> = [
  ['ecdsa256', 'ecdsa-sha2-nistp256', 'ECDSA'],
  ['ecdsa384', 'ecdsa-sha2-nistp384', 'ECDSA'],
  ['ecdsa521', 'ecdsa-sha2-nistp521', 'ECDSA'],
  ['rsa', 'rsa-sha2-512', 'RSA'],
  ['rsa', 'rsa-sha2-256', 'RSA'],
];

/** PEM user keys for tssh: name, type, ssh-keygen -m format, passphrase. */
const PEM_KEYS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['rsa_pem', 'rsa', 'PEM', ''],
  ['ecdsa_pkcs8', 'ecdsa', 'PKCS8', ''],
  ['rsa_pem_enc', 'rsa', 'PEM', 'pem passphrase'],
];

async function sshKeygen(args: string[]): Promise<void> {
  const r = await run('ssh-keygen', args);
  if (r.code !== 0) throw new Error(`ssh-keygen ${args.join(' ')}: ${r.stderr}`);
}

async function makeKeys(): Promise<void> {
  for (const [name, [type, bits]] of Object.entries(HOST_KEYS)) {
    await sshKeygen(['-q', '-t', type, '-b', bits, '-N', '', '-C', `host ${name}`, '-f', hostKeyPath(name)]);
  }
  for (const [name, [type, bits]] of Object.entries(USER_KEYS)) {
    await sshKeygen(['-q', '-t', type, '-b', bits, '-N', '', '-C', `user ${name}`, '-f', userKeyPath(name)]);
  }
  for (const [name, type, format, pass] of PEM_KEYS) {
    await sshKeygen(['-q', '-t', type, '-m', format, '-N', pass, '-C', `pem ${name}`, '-f', userKeyPath(name)]);
  }
}

before(async () => {
  if (!ssh.skip || !sshd.skip) await makeKeys();
});

const hostKeyLines = (): string[] => Object.keys(HOST_KEYS).map((name) => `HostKey ${hostKeyPath(name)}`);

function authorizeUserKeys(server: RunningServer): void {
  for (const name of [...Object.keys(USER_KEYS), ...PEM_KEYS.map((k) => k[0])]) appendFileSync(join(server.dir, 'authorized_keys'), readFileSync(`${userKeyPath(name)}.pub`));
}

/** SHA256 fingerprint of a .pub file. */
const fingerprintOf = (pubPath: string): string => fingerprint(parsePublicKeyLine(readFileSync(pubPath, 'utf8')).key);

const hostPub = (server: RunningServer, name: string | undefined): string => (name ? `${hostKeyPath(name)}.pub` : server.hostKey.publicKey);

// ---- OpenSSH ssh against tsshd ----

describe('OpenSSH ssh against tsshd with host and user keys of every type', { skip: ssh.skip }, () => {
  let server: RunningServer;
  let legacy: RunningServer;
  before(async () => {
    server = await startTsshd({ config: hostKeyLines() });
    legacy = await startTsshd({ config: [...hostKeyLines(), 'HostKeyAlgorithms +ssh-rsa', 'PubkeyAcceptedAlgorithms +ssh-rsa'] });
    authorizeUserKeys(server);
    authorizeUserKeys(legacy);
  });
  after(async () => {
    await server?.stop();
    await legacy?.stop();
  });

  /** ssh with one identity only and no known_hosts. */
  function args(s: RunningServer, identity: string, extra: string[]): string[] {
    return [
      '-F', '/dev/null',
      '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'IdentitiesOnly=yes',
      '-i', identity,
      '-p', String(s.port),
      ...extra,
      `${s.user}@127.0.0.1`,
    ];
  }

  for (const [alg, name] of HOST_ALGORITHMS) {
    test(`HostKeyAlgorithms=${alg}: tsshd signs with its ${name ?? 'ed25519'} host key`, async () => {
      const r = await run('ssh', [...args(server, server.userKey.privateKey, ['-v', '-o', `HostKeyAlgorithms=${alg}`]), 'echo ok']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'ok\n');
      assert.match(r.stderr, new RegExp(`kex: host key algorithm: ${alg}\\b`));
      assert.ok(r.stderr.includes(`Server host key: ${alg.startsWith('rsa-') ? 'ssh-rsa' : alg} ${fingerprintOf(hostPub(server, name))}`));
    });
  }

  test('HostKeyAlgorithms=ssh-rsa (SHA-1) is refused unless the server enables it', async () => {
    const refused = await run('ssh', [...args(server, server.userKey.privateKey, ['-o', 'HostKeyAlgorithms=ssh-rsa']), 'true']);
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /no matching host key type found/);
    const ok = await run('ssh', [...args(legacy, legacy.userKey.privateKey, ['-v', '-o', 'HostKeyAlgorithms=ssh-rsa']), 'echo ok']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /kex: host key algorithm: ssh-rsa\b/);
  });

  for (const [name, alg, label] of USER_ALGORITHMS) {
    test(`user key ${name} signing ${alg}: accepted and logged as ${label}`, async () => {
      const r = await run('ssh', [...args(server, userKeyPath(name), ['-vvv', '-o', `PubkeyAcceptedAlgorithms=${alg}`]), 'echo ok']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'ok\n');
      assert.ok(r.stderr.includes(`signing using ${alg} `), 'ssh signed with the algorithm asked for');
      const fp = fingerprintOf(`${userKeyPath(name)}.pub`);
      assert.ok(server.log().includes(`Accepted publickey for ${server.user} from 127.0.0.1 port `) && server.log().includes(`ssh2: ${label} ${fp}`));
    });
  }

  test('an RSA user key signing ssh-rsa (SHA-1) is refused unless the server enables it', async () => {
    const refused = await run('ssh', [...args(server, userKeyPath('rsa'), ['-o', 'PubkeyAcceptedAlgorithms=ssh-rsa']), 'true']);
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Permission denied \(publickey/);
    const ok = await run('ssh', [...args(legacy, userKeyPath('rsa'), ['-vvv', '-o', 'PubkeyAcceptedAlgorithms=ssh-rsa']), 'echo ok']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(ok.stderr.includes('signing using ssh-rsa '));
  });
});

// ---- tssh against OpenSSH sshd ----

describe('tssh against OpenSSH sshd with host and user keys of every type', { skip: sshd.skip }, () => {
  let server: RunningServer;
  const home = tempDir('tssh-home-');
  before(async () => {
    // At DEBUG2 sshd names the signature algorithm of each publickey attempt (the command line beats the file).
    server = await startOpenSshd({ config: hostKeyLines(), args: ['-o', 'LogLevel=DEBUG2'] });
    authorizeUserKeys(server);
  });
  after(async () => {
    await server?.stop();
    home.cleanup();
  });

  function tsshArgs(identity: string, extra: string[]): string[] {
    return [
      BIN.tssh,
      '-F', 'none',
      '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'IdentitiesOnly=yes',
      '-i', identity,
      '-p', String(server.port),
      ...extra,
      `${server.user}@127.0.0.1`,
    ];
  }
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home.path });

  for (const [alg, name] of HOST_ALGORITHMS) {
    test(`HostKeyAlgorithms=${alg}: tssh verifies sshd's ${name ?? 'ed25519'} host key`, async () => {
      const r = await run(process.execPath, [...tsshArgs(server.userKey.privateKey, ['-v', '-o', `HostKeyAlgorithms=${alg}`]), 'echo ok'], { env: env() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'ok\n');
      assert.match(r.stderr, new RegExp(`kex: host key algorithm: ${alg}\\b`));
      assert.ok(r.stderr.includes(fingerprintOf(hostPub(server, name))), 'the host key of that type was checked');
    });
  }

  for (const [name, alg, label] of USER_ALGORITHMS) {
    test(`user key ${name} signing ${alg}: sshd accepts it`, async () => {
      const r = await run(process.execPath, [...tsshArgs(userKeyPath(name), ['-o', `PubkeyAcceptedAlgorithms=${alg}`]), 'echo ok'], { env: env() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'ok\n');
      const blob = readFileSync(`${userKeyPath(name)}.pub`, 'utf8').split(' ')[1];
      assert.ok(server.log().includes(`attempting public key ${alg} ${blob}`), `sshd saw a ${alg} signature`);
      assert.ok(server.log().includes(`ssh2: ${label} ${fingerprintOf(`${userKeyPath(name)}.pub`)}`));
    });
  }

  for (const [name] of PEM_KEYS.filter((k) => k[3] === '')) {
    test(`a PEM user key (${name}) works as an identity file`, async () => {
      const r = await run(process.execPath, [...tsshArgs(userKeyPath(name), []), 'echo ok'], { env: env() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'ok\n');
      assert.ok(server.log().includes(fingerprintOf(`${userKeyPath(name)}.pub`)));
    });
  }

  test('an encrypted PEM key is offered from its .pub; in batch mode its passphrase is not asked', async () => {
    const path = userKeyPath('rsa_pem_enc');
    const r = await run(process.execPath, [...tsshArgs(path, ['-v', '-o', 'BatchMode=yes']), 'true'], { env: env() });
    assert.equal(r.code, 255);
    assert.ok(r.stderr.includes(`Offering public key: RSA ${fingerprintOf(`${path}.pub`)}`), r.stderr);
    assert.match(r.stderr, /Permission denied \(publickey/);
  });
});
